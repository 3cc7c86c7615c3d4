import { css } from 'lit';

/** Themable through --fw-* custom properties (defaults below) and ::part(). */
export const chatStyles = css`
  :host {
    --_bg: var(--fw-bg, #ffffff);
    --_surface: var(--fw-surface, #f6f7f9);
    --_fg: var(--fw-fg, #1d2330);
    --_muted: var(--fw-muted, #5f6b7a);
    --_border: var(--fw-border, #dde1e7);
    --_accent: var(--fw-accent, #3b5bdb);
    --_accent-fg: var(--fw-accent-fg, #ffffff);
    --_user-bg: var(--fw-user-bg, var(--_accent));
    --_user-fg: var(--fw-user-fg, var(--_accent-fg));
    --_assistant-bg: var(--fw-assistant-bg, var(--_surface));
    --_assistant-fg: var(--fw-assistant-fg, var(--_fg));
    --_error: var(--fw-error, #c92a2a);
    --_error-bg: var(--fw-error-bg, #fff5f5);
    --_warning: var(--fw-warning, #b35c00);
    --_radius: var(--fw-radius, 12px);
    --_gap: var(--fw-gap, 10px);
    --_focus: var(--fw-focus, 0 0 0 3px color-mix(in srgb, var(--_accent) 35%, transparent));
    display: flex;
    flex-direction: column;
    min-height: 320px;
    height: 100%;
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_fg);
    font: var(--fw-font-size, 15px) / 1.45 var(--fw-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .banner {
    margin: var(--_gap) var(--_gap) 0;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) - 4px);
    background: var(--_error-bg);
    color: var(--_error);
    border: 1px solid color-mix(in srgb, var(--_error) 30%, transparent);
    display: flex;
    gap: 8px;
    align-items: center;
    white-space: pre-wrap;
  }
  .banner button {
    margin-left: auto;
  }
  .status {
    margin: var(--_gap) var(--_gap) 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .status:empty {
    display: none;
  }
  .log {
    flex: 1 1 auto;
    overflow-y: auto;
    padding: var(--_gap);
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-height: 120px;
  }
  .intro {
    color: var(--_muted);
    margin: auto 0 0;
    text-align: center;
    padding: 8px 16px;
  }
  .msg {
    display: flex;
    flex-direction: column;
    max-width: 85%;
  }
  .msg.user {
    align-self: flex-end;
    align-items: flex-end;
  }
  .msg.assistant,
  .msg.notice,
  .msg.typing {
    align-self: flex-start;
  }
  .bubble {
    padding: 8px 12px;
    border-radius: var(--_radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .user .bubble {
    background: var(--_user-bg);
    color: var(--_user-fg);
    border-bottom-right-radius: 4px;
  }
  .assistant .bubble {
    background: var(--_assistant-bg);
    color: var(--_assistant-fg);
    border-bottom-left-radius: 4px;
  }
  .assistant.question .bubble {
    border-left: 3px solid var(--_accent);
  }
  .assistant.warning .bubble {
    border-left: 3px solid var(--_warning);
  }
  .assistant.error .bubble,
  .notice .bubble {
    background: var(--_error-bg);
    color: var(--_error);
  }
  .sending {
    opacity: 0.7;
  }
  .badge {
    font-size: 0.75em;
    color: var(--_muted);
    margin: 2px 4px 0;
  }
  .typing .bubble {
    background: var(--_assistant-bg);
    display: flex;
    gap: 4px;
    padding: 12px;
  }
  .typing span {
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: var(--_muted);
    animation: blink 1.2s infinite ease-in-out;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.2s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    0%, 80%, 100% { opacity: 0.25; }
    40% { opacity: 1; }
  }
  @media (prefers-reduced-motion: reduce) {
    .typing span { animation: none; }
  }

  .clarification {
    border-top: 1px solid var(--_border);
    padding: var(--_gap);
    background: var(--_surface);
  }
  .clarification:empty {
    display: none;
  }
  .form-title {
    font-weight: 600;
    margin-bottom: 8px;
  }
  /* A confirmation summary keeps its lines (an item list); a long one scrolls, the buttons stay. */
  .confirm .form-title {
    white-space: pre-line;
    max-height: 40vh;
    overflow-y: auto;
  }
  .param-form {
    display: grid;
    gap: 10px;
  }
  .field {
    display: grid;
    gap: 3px;
  }
  .field.checkbox {
    grid-template-columns: auto 1fr;
    align-items: center;
    column-gap: 8px;
  }
  .field.checkbox .problem,
  .field.checkbox small {
    grid-column: 1 / -1;
  }
  label {
    font-weight: 500;
    font-size: 0.92em;
  }
  .req {
    color: var(--_error);
  }
  small {
    color: var(--_muted);
    font-size: 0.82em;
  }
  .problem {
    color: var(--_error);
    font-size: 0.88em;
  }
  .problem.general {
    margin: 0;
  }
  input,
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 7px 10px;
    min-width: 0;
  }
  input[type='checkbox'] {
    width: 18px;
    height: 18px;
    padding: 0;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'],
  input:user-invalid {
    border-color: var(--_error);
  }
  input:focus-visible,
  select:focus-visible,
  button:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
    border-color: var(--_accent);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 8px;
    padding: 7px 14px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
  }
  button:disabled {
    cursor: default;
    opacity: 0.55;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button.secondary {
    background: transparent;
  }
  .form-actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  .choices {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .choice {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    text-align: left;
    background: var(--_bg);
  }
  .choice:hover {
    border-color: var(--_accent);
  }
  .choice-name {
    font-weight: 600;
  }
  .choice-desc {
    color: var(--_muted);
    font-size: 0.88em;
  }
  .choices > .secondary {
    align-self: flex-start;
  }

  .composer {
    display: flex;
    gap: 8px;
    padding: var(--_gap);
    border-top: 1px solid var(--_border);
    background: var(--_bg);
  }
  .composer input {
    flex: 1;
  }
`;
