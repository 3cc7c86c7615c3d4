/**
 * fastworkflow-web: the isomorphic core (browser + Node). One entry point for the public API.
 */
export { ErrorCode, FastWorkflowError, isAbortError, toErrorData, type ErrorFields, type FwErrorData, type LlmFault, type SessionConflict } from './errors.ts';
export { formatIssues, summarizeIssues, type IssueSummary } from './schema/zod-issues.ts';

export { commandFor, defineCommand, defineContext, defineWorkflow } from './workflow/define.ts';
export {
  GLOBAL_CONTEXT,
  type CommandContext,
  type CommandDefinition,
  type CommandResponse,
  type ContextDefinition,
  type ContextInheritanceModel,
  type ContextRef,
  type HandlerResult,
  type LookupResult,
  type NextAction,
  type StartupAction,
  type WorkflowDefinition,
} from './workflow/types.ts';
export { CompiledWorkflow, compileWorkflow, type CommandMetadata, type ResolvedCommand } from './workflow/compile.ts';
export { Builtin, BUILTIN_NAMES, BUILTIN_UTTERANCES, BUILTIN_DESCRIPTIONS, OUT_OF_SCOPE } from './workflow/builtin-names.ts';

export { FieldKind, describeExpected, fieldsOf, fieldsFromJsonSchema, toInputJsonSchema, toOutputJsonSchema, type FieldInfo, type JsonSchema } from './schema/field-info.ts';

export { DEFAULT_THRESHOLDS, type ClassifyOptions, type IntentClassifier, type IntentPrediction, type IntentScore, type IntentThresholds, type SupportThresholds } from './intent/classifier.ts';
export { decideIntent, MAX_CANDIDATES, supportOf, type IntentDecision } from './intent/decide.ts';
export { LexicalClassifier, LEXICAL_THRESHOLDS } from './intent/lexical-classifier.ts';
export { baseExamples, fillTemplate, sampleValues, templateFields } from './intent/utterances.ts';

export { DeterministicExtractor, extractDeterministic, matchTemplate, type ExtractedValues, type ExtractionRequest, type ParameterExtractor } from './params/extract.ts';
export { extractDetailed, extractWithEvidence, type DetailedExtraction, type ExtractedValue, type ValueSource } from './params/extract.ts';
export { TaggedExtractor, type TaggedExtractorOptions } from './params/slots/tagged-extractor.ts';
export { SlotTagger, type TaggedSpan } from './params/slots/tagger.ts';
export { SLOT_TAGGER_FORMAT, SLOT_TAGGER_VERSION, type SlotTaggerFile } from './params/slots/model.ts';
export { coerceValue } from './params/coerce.ts';
export { ProblemCode, validateParameters, type FieldProblem, type ValidationResult } from './params/validate.ts';

export { SESSION_STATE_VERSION, type HistoryEntry, type LastIntent, type SessionState } from './session/state.ts';
export { Stage, type Conversation, type PendingChoice, type PendingCommand } from './session/conversation.ts';
export { migrateSessionState, type SessionStateV1, type StoredSessionState } from './session/migrate.ts';
export { MemorySessionStore, type SessionStore, type StoreOptions } from './session/store.ts';
export { CORRECTION_SCOPES, correctionKey, MemoryCorrectionStore, type Correction, type CorrectionChange, type CorrectionQuery, type CorrectionScope, type CorrectionStore } from './session/corrections.ts';
export { checkCorrections, formatCorrectionsFile, formatProblem, parseCorrectionsFile, toRecord, type CorrectionRecord, type CorrectionsFileProblem, type CorrectionsFileResult } from './session/corrections-file.ts';
export { trainedCommandFor } from './engine/training-match.ts';

export { DEFAULT_MAX_MESSAGE_LENGTH, WorkflowSession, type SessionMode, type SessionOptions, type TurnOptions } from './engine/session.ts';
export { DEFAULT_AGENT_STEPS, type AgentOptions } from './engine/agent.ts';
export { describeAgentStep } from './engine/agent-trace.ts';
export { IntentSource, OutputKind, type AgentStep, type Clarification, type CommandChoice, type CommandOutput, type IntentInfo, type RejectReason } from './engine/output.ts';
export { humanizeName, normalizeText } from './text/normalize.ts';

export * from './llm/index.ts';
