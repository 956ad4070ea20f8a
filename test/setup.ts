import 'aws-sdk-client-mock-jest';

// The SDK warns on every client under Node 20 that its 2027 releases need Node 22; the README
// states the plan, and the warning drowns test output. CI also runs the handler tests on Node 24.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
