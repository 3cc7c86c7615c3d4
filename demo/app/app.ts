import '../../components/fw-chat.ts';
import type { FwChat } from '../../components/fw-chat.ts';
import { examples } from '../workflows/index.ts';
import { renderBreadcrumb } from './breadcrumb.ts';
import { renderCommandsPanel } from './commands-panel.ts';
import { demoClassifierFactory } from './demo-classifiers.ts';
import { renderIntentPanel } from './intent-panel.ts';
import { readSettings, writeWorkflow } from './url-state.ts';

const PREFERRED = 'todo';

function required<T extends Element>(doc: Document, selector: string): T {
  const el = doc.querySelector<T>(selector);
  if (!el) throw new Error(`demo/index.html has no ${selector}`);
  return el;
}

/** Wire the demo page: workflow selector, <fw-chat>, breadcrumb, intent and commands panels. */
export async function startDemo(doc: Document): Promise<void> {
  const chat = required<FwChat>(doc, '#chat');
  const select = required<HTMLSelectElement>(doc, '#workflow-select');
  const restart = required<HTMLButtonElement>(doc, '#restart');
  const breadcrumb = required<HTMLElement>(doc, '#breadcrumb');
  const intentPanel = required<HTMLElement>(doc, '#intent-panel');
  const commandsPanel = required<HTMLElement>(doc, '#commands-panel');

  const names = Object.keys(examples).sort();
  if (names.length === 0) throw new Error('demo/workflows/index.ts exports no examples.');
  const settings = readSettings(location);
  const initial = settings.workflow && examples[settings.workflow] ? settings.workflow : names.includes(PREFERRED) ? PREFERRED : names[0];

  for (const name of names) {
    const option = doc.createElement('option');
    option.value = name;
    option.textContent = name.replace(/_/g, ' ');
    select.append(option);
  }
  select.value = initial;

  // ?llm: the LLM settings (assistant/agent mode against an OpenAI-compatible endpoint or proxy).
  if (new URLSearchParams(location.search).has('llm')) chat.llmSettings = true;
  chat.loadOpenAI = () => import('openai');

  const runByName = (command: string) => void chat.send(`/${command}`).catch(() => undefined);
  const refreshCommands = () => renderCommandsPanel(commandsPanel, chat.session?.visibleCommands() ?? [], runByName);

  chat.addEventListener('fw-command', (e) => {
    renderIntentPanel(intentPanel, e.detail);
    refreshCommands();
  });
  chat.addEventListener('fw-context-change', (e) => {
    renderBreadcrumb(breadcrumb, e.detail);
    refreshCommands();
  });
  chat.addEventListener('fw-error', (e) => console.warn(`fw-error (${e.detail.phase}): ${e.detail.message}`));

  const choose = (name: string) => {
    renderBreadcrumb(breadcrumb, undefined);
    renderIntentPanel(intentPanel, undefined);
    renderCommandsPanel(commandsPanel, [], runByName);
    const useBundle = settings.classifier !== 'lexical' && settings.classifier !== 'failing';
    if (settings.ort) chat.ortPath = settings.ort;
    chat.bundle = useBundle ? (settings.bundle ?? `${import.meta.env.BASE_URL}bundles/${name}/`) : undefined;
    chat.workflow = examples[name];
  };
  select.addEventListener('change', () => {
    writeWorkflow(location, history, select.value);
    choose(select.value);
  });
  restart.addEventListener('click', async () => {
    renderIntentPanel(intentPanel, undefined);
    await chat.restart();
  });

  if (settings.session) chat.sessionId = settings.session;
  // ?corrections=device: every conversation in this browser learns from each correction.
  if (new URLSearchParams(location.search).get('corrections') === 'device') chat.correctionScope = 'device';
  chat.classifierFactory = demoClassifierFactory(settings.classifier);
  choose(initial);
  void navigator.storage?.persist?.().catch(() => false);
  await chat.whenReady();
  doc.documentElement.dataset.demoReady = 'true';
}
