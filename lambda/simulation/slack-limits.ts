import { type Block, type SlackMessage } from '../domain/slack-message';

/**
 * Slack's documented limits on what `chat.postMessage` accepts, so that a message the real API
 * would refuse fails in tests too (a 256-character name in a header, say).
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  contextElementText: 3000,
  /** Buttons per actions block, a button's label, its value and its action id. */
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Longer `text` is refused with `msg_too_long`. */
  messageText: 40000,
} as const;

/** The Slack error code the real API would return for this message, or undefined when it is fine. */
export function slackRejection(
  message: SlackMessage,
): 'no_text' | 'msg_too_long' | 'invalid_blocks' | undefined {
  if (message.text.trim() === '' && message.blocks.length === 0) return 'no_text';
  if (message.text.length > SLACK_LIMITS.messageText) return 'msg_too_long';
  if (message.blocks.length > SLACK_LIMITS.blocksPerMessage) return 'invalid_blocks';
  return message.blocks.every(blockIsValid) ? undefined : 'invalid_blocks';
}

function blockIsValid(block: Block): boolean {
  switch (block.type) {
    case 'header':
      return block.text.type === 'plain_text' && textFits(block.text.text, SLACK_LIMITS.headerText);
    case 'section': {
      const fields = block.fields ?? [];
      if (block.text === undefined && fields.length === 0) return false;
      if (block.text !== undefined && !textFits(block.text.text, SLACK_LIMITS.sectionText)) return false;
      return (
        fields.length <= SLACK_LIMITS.sectionFields &&
        fields.every((field) => textFits(field.text, SLACK_LIMITS.sectionFieldText))
      );
    }
    case 'context':
      return (
        block.elements.length >= 1 &&
        block.elements.length <= SLACK_LIMITS.contextElements &&
        block.elements.every((element) => textFits(element.text, SLACK_LIMITS.contextElementText))
      );
    case 'divider':
      return true;
    case 'actions':
      return (
        block.elements.length >= 1 &&
        block.elements.length <= SLACK_LIMITS.actionsElements &&
        block.elements.every(
          (button) =>
            textFits(button.text.text, SLACK_LIMITS.buttonText) &&
            textFits(button.value, SLACK_LIMITS.buttonValue) &&
            textFits(button.action_id, SLACK_LIMITS.actionId),
        )
      );
  }
}

// Slack refuses empty text objects as well as long ones.
function textFits(text: string, max: number): boolean {
  return text.length >= 1 && text.length <= max;
}
