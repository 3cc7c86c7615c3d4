/** The browser runtime's UI: `<fw-chat>` and its event types. Importing this defines the element. */
export { FwChat, type ClassifierFactory, type FwChatStatus } from './fw-chat.ts';
export { FwEvent, type ContextCrumb, type FwContextChangeDetail, type FwErrorDetail, type FwErrorPhase } from './events.ts';
export { defaultStores } from './default-stores.ts';
