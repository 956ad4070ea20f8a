/** A loopback SQS stand-in (AWS JSON 1.0) with FIFO semantics on the test's clock, and Lambda's event source. */
export { DEDUPLICATION_WINDOW_MS, FifoQueue, type FifoQueueOptions, type StoredMessage } from './fifo-queue';
export { drainQueue, type DrainResult, type EventSourceOptions, type SqsBatchHandler } from './event-source';
export { type SqsStandIn, STAND_IN_ACCOUNT, startSqsStandIn } from './server';
