import { html, render } from 'lit';
import { humanizeName, type CommandChoice } from '../../src/index.ts';

/** The commands of the current context; clicking one runs it by name (its form opens if it needs input). */
export function renderCommandsPanel(target: HTMLElement, commands: CommandChoice[], run: (command: string) => void): void {
  render(
    html`
      <h2 id="commands-title">Commands here</h2>
      ${commands.length
        ? html`<ul class="commands">
            ${commands.map(
              (c) => html`<li>
                <button type="button" class="linkish" title="Run /${c.command}" @click=${() => run(c.command)}>${humanizeName(c.command)}</button>
                <span class="muted">${c.description}</span>
              </li>`,
            )}
          </ul>`
        : html`<p class="muted">No commands in this context.</p>`}
      <p class="muted small">Always available: what can I do, go up, reset context, current context, abort, you misunderstood.</p>
    `,
    target,
  );
}
