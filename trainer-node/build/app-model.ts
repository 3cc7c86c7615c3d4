/**
 * What `fastworkflow build` learns from the user's application: plain data, read by read-app.ts and
 * turned into workflow source text by generate.ts.
 */

/** A parameter type a command can take (what zod and the parameter extractor handle). */
export type ParamType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: string[] }
  | { kind: 'literals'; values: (string | number)[] }
  | { kind: 'array'; item: Exclude<ParamType, { kind: 'array' }> };

export interface ParamModel {
  name: string;
  type: ParamType;
  optional: boolean;
  /** Source text of a literal default value (`= 10`, `= 'low'`), when it has one. */
  defaultText?: string;
  description?: string;
  examples: (string | number | boolean)[];
}

/** What the method gives back: an object of another context (the command enters it), or a value. */
export type ReturnModel = { kind: 'context'; context: string } | { kind: 'value' } | { kind: 'void' };

export interface MethodModel {
  /** The method's name in the class (`addBook`). */
  method: string;
  /** The command's name (`add_book`). */
  command: string;
  description?: string;
  params: ParamModel[];
  returns: ReturnModel;
}

export interface ClassModel {
  name: string;
  /** The file that declares the class (absolute). */
  file: string;
  /** The root class: its context is the global one, `*`. */
  isRoot: boolean;
  /** The class it extends, when that class is a context too. */
  base?: string;
  description?: string;
  /** A public string/number property that names an object to the user (name, title, id, …). */
  labelProperty?: string;
  /** Whether `new Class()` works (no required constructor parameters). */
  constructibleWithoutArgs: boolean;
  methods: MethodModel[];
}

/** A method that could not become a command, and why. */
export interface Skipped {
  className: string;
  method: string;
  reason: string;
}

export interface AppModel {
  entry: string;
  root: string;
  classes: ClassModel[];
  skipped: Skipped[];
}

/** `addBook` → `add_book`, `getURL` → `get_url`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** `addBook` → `add book`. */
export function words(name: string): string {
  return snakeCase(name).replace(/_/g, ' ');
}
