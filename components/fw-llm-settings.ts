import { html, LitElement, css, type TemplateResult } from 'lit';
import type { SessionMode } from '../src/index.ts';
import { loadLlmSettings, saveLlmSettings, type LlmSettings } from './llm-settings-store.ts';

export type { LlmSettings };

/**
 * `<fw-llm-settings>`: mode (assistant / agent), base URL, model and API key for the optional LLM.
 * Fires `fw-llm-settings` (detail: LlmSettings) when applied and when remembered settings load. The key
 * stays in memory unless "remember on this device" is ticked; it is never logged. Teams: a proxy base
 * URL on your own origin and no key (see README "LLM (optional)").
 */
export class FwLlmSettings extends LitElement {
  static override styles = css`
    :host { display: block; font: inherit; }
    details { border: 1px solid var(--fw-border, #ccc); border-radius: 6px; padding: 4px 8px; margin-bottom: 8px; }
    form { display: grid; grid-template-columns: max-content 1fr; gap: 6px 8px; align-items: center; padding: 6px 0; }
    .row { grid-column: 1 / -1; display: flex; gap: 12px; align-items: center; }
    input[type='text'], input[type='url'], input[type='password'] { font: inherit; padding: 3px 6px; min-width: 0; }
  `;

  static override properties = { settings: { state: true }, applied: { state: true } };

  declare private settings: LlmSettings;
  declare private applied: boolean;

  constructor() {
    super();
    this.settings = { mode: 'assistant', baseURL: '', model: '', remember: false };
    this.applied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void loadLlmSettings().then((stored) => {
      if (!stored) return;
      this.settings = { ...this.settings, ...stored };
      if (stored.baseURL && stored.model) this.emit();
    });
  }

  protected override render(): TemplateResult {
    const s = this.settings;
    return html`<details part="llm-settings">
      <summary>LLM settings${this.applied && s.baseURL ? ` (${s.mode}, ${s.model})` : ''}</summary>
      <form @submit=${this.onSubmit}>
        <span>Mode</span>
        <span class="row">
          <label><input type="radio" name="mode" value="assistant" .checked=${s.mode === 'assistant'} /> assistant</label>
          <label><input type="radio" name="mode" value="agent" .checked=${s.mode === 'agent'} /> agent</label>
        </span>
        <label for="base">Base URL</label><input id="base" name="baseURL" type="url" placeholder="https://your-proxy.example/llm/v1" .value=${s.baseURL} />
        <label for="model">Model</label><input id="model" name="model" type="text" .value=${s.model} />
        <label for="key">API key</label><input id="key" name="apiKey" type="password" autocomplete="off" placeholder="none behind a proxy" .value=${s.apiKey ?? ''} />
        <label class="row"><input type="checkbox" name="remember" .checked=${s.remember} /> remember the key on this device</label>
        <span class="row"><button type="submit" part="llm-apply">Apply</button><button type="button" part="llm-off" @click=${this.onOff}>No LLM</button></span>
      </form>
    </details>`;
  }

  private onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const apiKey = text('apiKey');
    this.settings = { mode: (text('mode') || 'assistant') as SessionMode, baseURL: text('baseURL'), model: text('model'), remember: data.get('remember') === 'on', ...(apiKey ? { apiKey } : {}) };
    void saveLlmSettings(this.settings);
    this.emit();
  };

  private onOff = (): void => {
    this.settings = { mode: 'assistant', baseURL: '', model: '', remember: false };
    void saveLlmSettings(this.settings);
    this.emit();
  };

  private emit(): void {
    this.applied = true;
    this.dispatchEvent(new CustomEvent<LlmSettings>('fw-llm-settings', { detail: { ...this.settings }, bubbles: true, composed: true }));
  }
}

if (!customElements.get('fw-llm-settings')) customElements.define('fw-llm-settings', FwLlmSettings);

declare global {
  interface HTMLElementTagNameMap {
    'fw-llm-settings': FwLlmSettings;
  }
}
