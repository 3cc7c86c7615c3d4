import { html, nothing, render } from 'lit';
import { humanizeName, OUT_OF_SCOPE, type CommandOutput, type IntentSource } from '../../src/index.ts';

const SOURCE_LABELS: Record<IntentSource, string> = {
  classifier: 'classifier',
  ancestor: 'classifier of a parent context',
  exact_name: 'command name',
  fuzzy_name: 'near command name',
  correction: 'your earlier correction',
  builtin: 'built-in phrase',
  choice: 'your answer to a question',
  slash: '/command',
  action: 'action',
  agent: 'agent tool call',
};

const MAX_CANDIDATES = 5;

/** The last detected intent: its source, label, confidence and the classifier's candidates. */
export function renderIntentPanel(target: HTMLElement, output: CommandOutput | undefined): void {
  const intent = output?.intent;
  const all = (intent?.ranked ?? []).filter((r) => r.label !== OUT_OF_SCOPE);
  // Labels that scored (about) nothing are noise next to the real candidates.
  const ranked = all.filter((r, i) => i === 0 || r.score >= 0.01).slice(0, MAX_CANDIDATES);
  render(
    html`
      <h2 id="intent-title">Detected intent</h2>
      ${!output
        ? html`<p class="muted">Send a message to see how it was understood.</p>`
        : html`
            <dl class="intent-summary">
              <dt>Command</dt>
              <dd class="intent-label" data-testid="intent-label">${intent?.label ? humanizeName(intent.label) : output.command ? humanizeName(output.command) : '—'}</dd>
              <dt>Confidence</dt>
              <dd data-testid="intent-score">${intent?.score !== undefined ? intent.score.toFixed(2) : '—'}</dd>
              <dt>Decided by</dt>
              <dd>${intent ? SOURCE_LABELS[intent.source] ?? intent.source : '—'}${intent?.context ? html` <span class="muted">in ${intent.context === '*' ? 'global' : intent.context}</span>` : nothing}</dd>
              <dt>Outcome</dt>
              <dd><span class="pill ${output.kind}">${output.kind.replace('_', ' ')}</span> <span class="muted">${output.timingMs} ms</span></dd>
            </dl>
            ${ranked.length
              ? html`
                  <h3>Candidates</h3>
                  <ol class="candidates" data-testid="candidates">
                    ${ranked.map(
                      (r) => html`<li class=${r.label === intent?.label ? 'top' : ''}>
                        <span class="cand-name">${humanizeName(r.label)}</span>
                        <span class="bar" aria-hidden="true"><span style="width:${Math.max(0, Math.min(1, r.score)) * 100}%"></span></span>
                        <span class="cand-score">${r.score.toFixed(2)}</span>
                      </li>`,
                    )}
                  </ol>
                  ${all.length > ranked.length ? html`<p class="muted small">${all.length - ranked.length} more labels scored lower.</p>` : nothing}
                `
              : html`<p class="muted small">No classifier ran for this message.</p>`}
          `}
    `,
    target,
  );
}
