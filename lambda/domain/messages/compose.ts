import { type Block, type ButtonElement, type SlackMessage } from '../slack-message';
import { type MessageContext } from './context';
import {
  contextBlock,
  DIVIDER,
  fieldBlocks,
  headerBlock,
  packLines,
  SECTION_TEXT_LIMIT,
  sectionBlock,
} from './format';

/** The footer names the product so a reader knows which bot is talking. */
export const PRODUCT_NAME = 'access-key-enforcer';
/** The plain `text` fallback keeps each list short: it is a notification, not the record. */
const TEXT_LIST_CHARS = 1500;

/** One labelled fact, shown as a Block Kit field and as `Label: value` in the text fallback. */
export interface Fact {
  readonly label: string;
  /** Already mrkdwn-escaped. */
  readonly value: string;
  /** Shown as inline code in blocks (key ids, commands). */
  readonly code?: boolean;
}

/** Instructions shown after a divider: mrkdwn for blocks, plain lines for the text fallback. */
export interface Help {
  readonly mrkdwn: string;
  readonly lines: readonly string[];
}

/** A list that may be long: packed into sections, capped with "and N more". */
export interface ListPart {
  /** Plain words, no user input (it is bolded in blocks). */
  readonly title: string;
  /** Already mrkdwn-escaped, one item per line. */
  readonly lines: readonly string[];
  /** Sections this list may use; the sum over a message must keep it under 50 blocks. */
  readonly maxSections: number;
  /** A shorter version for the text fallback, when cutting `lines` short would hide whole groups. */
  readonly textLines?: readonly string[];
}

/**
 * A message before rendering. Every string except `title` is mrkdwn-safe (user input escaped by
 * the builder); `title` goes into a plain_text header, which Slack shows verbatim.
 */
export interface MessageParts {
  readonly title: string;
  /** First line of `text` and the lead section. */
  readonly headline: string;
  /** Each row is one line of `text`; in blocks all facts become fields. */
  readonly facts?: readonly (readonly Fact[])[];
  readonly notes?: readonly string[];
  readonly lists?: readonly ListPart[];
  readonly help?: Help;
  /** Buttons (issue 11 item 3), shown above the footer; the text fallback has no buttons. */
  readonly actions?: readonly ButtonElement[];
}

/** Renders parts as Block Kit plus a `text` fallback that carries every fact on its own. */
export function renderMessage(parts: MessageParts, ctx: MessageContext): SlackMessage {
  const dryRunMark = ctx.dryRun ? '[DRY RUN] ' : '';
  const facts = parts.facts ?? [];
  const notes = parts.notes ?? [];
  const lists = parts.lists ?? [];

  const textLines = [
    `${dryRunMark}${parts.headline}`,
    ...facts.map((row) => row.map((fact) => `${fact.label}: ${fact.value}`).join(' · ')),
    ...notes,
    ...lists.flatMap((list) =>
      list.lines.length === 0
        ? []
        : [`${list.title}:`, ...packLines(list.textLines ?? list.lines, TEXT_LIST_CHARS, 1)],
    ),
    ...(parts.help?.lines ?? []),
  ];

  const footer = ctx.dryRun
    ? `${PRODUCT_NAME} · ${ctx.today} · *DRY RUN*: nothing was changed or sent`
    : `${PRODUCT_NAME} · ${ctx.today}`;
  const blocks = [
    headerBlock(`${dryRunMark}${parts.title}`),
    sectionBlock(parts.headline),
    ...fieldBlocks(facts.flat().map(renderField)),
    ...(notes.length > 0 ? [sectionBlock(notes.join('\n'))] : []),
    ...lists.flatMap(listBlocks),
    ...(parts.help ? [DIVIDER, sectionBlock(parts.help.mrkdwn)] : []),
    ...actionsBlock(parts.actions),
    contextBlock(footer),
  ];
  return { text: textLines.join('\n'), blocks };
}

function renderField(fact: Fact): string {
  return `*${fact.label}*\n${fact.code ? `\`${fact.value}\`` : fact.value}`;
}

function listBlocks(list: ListPart) {
  if (list.lines.length === 0) return [];
  const title = `*${list.title}*`;
  const chunks = packLines(list.lines, SECTION_TEXT_LIMIT - title.length - 1, list.maxSections);
  return chunks.map((chunk, i) => sectionBlock(i === 0 ? `${title}\n${chunk}` : chunk));
}

function actionsBlock(actions: readonly ButtonElement[] | undefined): Block[] {
  return actions && actions.length > 0 ? [{ type: 'actions', elements: actions }] : [];
}
