import type { AgentStep } from './output.ts';

/** One line per agent step, for a terminal or a transcript ("find_user_by_email {…} → ok [User]"). */
export function describeAgentStep(step: AgentStep): string {
  switch (step.type) {
    case 'command':
      return `${step.tool} ${JSON.stringify(step.arguments)} → ${step.success ? 'ok' : 'failed'} [${step.context}]`;
    case 'navigation':
      return `${step.tool} → [${step.context}]`;
    case 'rejected':
      return `${step.tool} not run (${step.reason.replace(/_/g, ' ')})`;
    case 'confirmation':
      return `${step.tool} ${JSON.stringify(step.arguments)} waits for your confirmation`;
    case 'reply':
      return 'reply';
    case 'fault':
      return `LLM fault (${step.error.code === 'llm_failed' ? step.error.reason : step.error.code})`;
    case 'step_limit':
      return `stopped after ${step.steps} steps`;
  }
}
