/**
 * Reads a TypeScript application with the compiler API: the exported classes reachable from the root
 * class (through method return types, property types and `extends`), their public methods, parameter
 * types and JSDoc. Methods whose parameters a command cannot take are skipped with the reason.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as TS from 'typescript';
import { BUILTIN_NAMES, ErrorCode, FastWorkflowError } from '../../src/index.ts';
import { requirePeer } from '../peer-deps.ts';
import { snakeCase, type AppModel, type ClassModel, type MethodModel, type ParamModel, type ParamType, type ReturnModel, type Skipped } from './app-model.ts';

const LABEL_PROPERTIES = ['name', 'title', 'label', 'id', 'key', 'code', 'sku'];
const SUPPORTED = 'supported: string, number, boolean, unions of string or number literals, arrays of these';

async function loadTypeScript(): Promise<typeof TS> {
  const mod = await requirePeer<typeof TS & { default?: typeof TS }>('typescript', 'read your application (fastworkflow build)');
  return mod.default ?? mod;
}

export async function readApp(entry: string, root: string): Promise<AppModel> {
  const ts = await loadTypeScript();
  const file = resolve(entry);
  if (!existsSync(file)) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `No application file ${file}. Pass the TypeScript file that declares (or exports) your root class.`);
  const program = ts.createProgram([file], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true });
  return new AppReader(ts, program).read(file, root);
}

class AppReader {
  private readonly checker: TS.TypeChecker;
  private readonly classes = new Map<string, TS.ClassDeclaration>();

  constructor(
    private readonly ts: typeof TS,
    private readonly program: TS.Program,
  ) {
    this.checker = program.getTypeChecker();
  }

  read(entry: string, root: string): AppModel {
    const rootDecl = this.findRoot(entry, root);
    // Reachable classes, breadth first from the root.
    const order: TS.ClassDeclaration[] = [];
    const queue = [rootDecl];
    while (queue.length) {
      const decl = queue.shift()!;
      const name = decl.name!.text;
      if (this.classes.has(name)) continue;
      this.classes.set(name, decl);
      order.push(decl);
      queue.push(...this.referencedClasses(decl));
    }
    const skipped: Skipped[] = [];
    const classes = order.map((decl) => this.readClass(decl, decl === rootDecl, skipped));
    return { entry, root, classes, skipped };
  }

  private findRoot(entry: string, root: string): TS.ClassDeclaration {
    const source = this.program.getSourceFile(entry)!;
    const moduleSymbol = this.checker.getSymbolAtLocation(source);
    const exported = moduleSymbol ? this.checker.getExportsOfModule(moduleSymbol) : [];
    const found = exported.map((s) => this.classOf(s)).find((d) => d?.name?.text === root);
    if (found) return found;
    const names = exported.map((s) => this.classOf(s)?.name?.text).filter(Boolean);
    throw new FastWorkflowError(
      ErrorCode.InvalidWorkflow,
      `${entry} exports no class ${root}.${names.length ? ` Its exported classes: ${names.join(', ')}.` : ' Export the root class of your application from it.'} Pass --root <ClassName>.`,
    );
  }

  private classOf(symbol: TS.Symbol | undefined): TS.ClassDeclaration | undefined {
    if (!symbol) return undefined;
    const s = symbol.flags & this.ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const decl = s.declarations?.find((d) => this.ts.isClassDeclaration(d)) as TS.ClassDeclaration | undefined;
    if (!decl?.name || decl.getSourceFile().isDeclarationFile || this.program.isSourceFileFromExternalLibrary(decl.getSourceFile())) return undefined;
    const exported = this.ts.getCombinedModifierFlags(decl) & this.ts.ModifierFlags.Export;
    return exported ? decl : undefined;
  }

  /** The application class an instance type belongs to, looking through Promise, arrays, null and undefined. */
  private classOfType(type: TS.Type): TS.ClassDeclaration | undefined {
    const t = this.unwrap(type);
    if (this.checker.isArrayType(t)) return this.classOfType(this.checker.getTypeArguments(t as TS.TypeReference)[0]);
    return this.classOf(t.getSymbol());
  }

  private unwrap(type: TS.Type): TS.Type {
    const awaited = this.checker.getAwaitedType(type) ?? type;
    return this.checker.getNonNullableType(awaited);
  }

  private referencedClasses(decl: TS.ClassDeclaration): TS.ClassDeclaration[] {
    const out: TS.ClassDeclaration[] = [];
    const base = this.baseClass(decl);
    if (base) out.push(base);
    for (const member of decl.members) {
      if (!this.isPublic(member)) continue;
      if (this.ts.isMethodDeclaration(member)) {
        const sig = this.checker.getSignatureFromDeclaration(member);
        const cls = sig && this.classOfType(this.checker.getReturnTypeOfSignature(sig));
        if (cls) out.push(cls);
      } else if (this.ts.isPropertyDeclaration(member) || this.ts.isGetAccessorDeclaration(member)) {
        const cls = this.classOfType(this.checker.getTypeAtLocation(member));
        if (cls) out.push(cls);
      }
    }
    return out;
  }

  private baseClass(decl: TS.ClassDeclaration): TS.ClassDeclaration | undefined {
    const clause = decl.heritageClauses?.find((h) => h.token === this.ts.SyntaxKind.ExtendsKeyword);
    const expr = clause?.types[0]?.expression;
    return expr ? this.classOf(this.checker.getSymbolAtLocation(expr)) : undefined;
  }

  private isPublic(member: TS.ClassElement): boolean {
    const flags = this.ts.getCombinedModifierFlags(member as TS.Declaration);
    if (flags & (this.ts.ModifierFlags.Private | this.ts.ModifierFlags.Protected | this.ts.ModifierFlags.Static)) return false;
    const name = member.name;
    if (!name || this.ts.isPrivateIdentifier(name)) return false;
    return !name.getText().startsWith('_');
  }

  private readClass(decl: TS.ClassDeclaration, isRoot: boolean, skipped: Skipped[]): ClassModel {
    const name = decl.name!.text;
    const base = this.baseClass(decl);
    const methods: MethodModel[] = [];
    const seen = new Set<string>();
    for (const member of decl.members) {
      if (!this.ts.isMethodDeclaration(member) || !this.isPublic(member) || !this.ts.isIdentifier(member.name)) continue;
      const method = member.name.text;
      if (seen.has(method)) continue; // overloads: the first signature
      seen.add(method);
      const result = this.readMethod(member);
      if (typeof result === 'string') skipped.push({ className: name, method, reason: result });
      else if ((BUILTIN_NAMES as readonly string[]).includes(result.command)) skipped.push({ className: name, method, reason: `its command name "${result.command}" is a built-in command's; rename the method, or add your own command with another name` });
      else methods.push(result);
    }
    const ctor = decl.members.find((m): m is TS.ConstructorDeclaration => this.ts.isConstructorDeclaration(m));
    const labelProperty = LABEL_PROPERTIES.find((p) =>
      decl.members.some((m) => {
        if (!(this.ts.isPropertyDeclaration(m) || this.ts.isGetAccessorDeclaration(m)) || !this.isPublic(m) || m.name.getText() !== p) return false;
        const t = this.checker.getTypeAtLocation(m);
        return !!(t.flags & (this.ts.TypeFlags.StringLike | this.ts.TypeFlags.NumberLike));
      }) || (ctor?.parameters.some((param) => this.ts.isIdentifier(param.name) && param.name.text === p && this.isParameterProperty(param)) ?? false),
    );
    return {
      name,
      file: decl.getSourceFile().fileName,
      isRoot,
      ...(base && base.name!.text !== name ? { base: base.name!.text } : {}),
      ...(this.doc(decl) ? { description: this.doc(decl) } : {}),
      ...(labelProperty ? { labelProperty } : {}),
      constructibleWithoutArgs: !ctor || ctor.parameters.every((p) => p.questionToken || p.initializer || p.dotDotDotToken),
      methods,
    };
  }

  private isParameterProperty(param: TS.ParameterDeclaration): boolean {
    const flags = this.ts.getCombinedModifierFlags(param);
    return !!(flags & (this.ts.ModifierFlags.Public | this.ts.ModifierFlags.Readonly)) && !(flags & (this.ts.ModifierFlags.Private | this.ts.ModifierFlags.Protected));
  }

  private doc(node: TS.Node): string | undefined {
    const symbol = this.checker.getSymbolAtLocation((node as TS.NamedDeclaration).name ?? node);
    const text = symbol ? this.ts.displayPartsToString(symbol.getDocumentationComment(this.checker)).trim() : '';
    return text || undefined;
  }

  /** A command, or the reason the method cannot be one. */
  private readMethod(member: TS.MethodDeclaration): MethodModel | string {
    const method = (member.name as TS.Identifier).text;
    const examples = this.exampleCalls(member, method);
    const params: ParamModel[] = [];
    for (const [i, p] of member.parameters.entries()) {
      if (!this.ts.isIdentifier(p.name)) return `parameter ${i + 1} is destructured; give it a name (a command's fields are named parameters)`;
      const name = p.name.text;
      if (p.dotDotDotToken) return `parameter "${name}" is a rest parameter (...${name}); take an array instead`;
      const declared = this.checker.getTypeAtLocation(p);
      const type = this.paramType(declared);
      if (!type) return `parameter "${name}" has type ${this.checker.typeToString(declared)} (${SUPPORTED})`;
      const description = this.paramDoc(p);
      const fromDoc = description ? quotedExamples(description) : [];
      const values = [...fromDoc, ...examples.map((args) => args[i]).filter((v): v is string | number | boolean => v !== undefined)];
      params.push({
        name,
        type,
        optional: !!p.questionToken || !!p.initializer || this.acceptsUndefined(declared),
        ...(p.initializer && this.isLiteral(p.initializer) ? { defaultText: p.initializer.getText() } : {}),
        ...(description ? { description: description.replace(/^-\s*/, '') } : {}),
        examples: [...new Set(values.map((v) => (type.kind === 'number' || (type.kind === 'array' && type.item.kind === 'number') ? Number(v) : v)))].filter((v) => !(typeof v === 'number' && Number.isNaN(v))),
      });
    }
    const sig = this.checker.getSignatureFromDeclaration(member)!;
    const description = this.doc(member);
    return { method, command: snakeCase(method), ...(description ? { description } : {}), params, returns: this.returnModel(this.checker.getReturnTypeOfSignature(sig)) };
  }

  private returnModel(type: TS.Type): ReturnModel {
    const t = this.unwrap(type);
    if (t.flags & (this.ts.TypeFlags.Void | this.ts.TypeFlags.Undefined | this.ts.TypeFlags.Never)) return { kind: 'void' };
    const cls = this.classOf(t.getSymbol());
    if (cls && this.classes.has(cls.name!.text)) return { kind: 'context', context: cls.name!.text };
    return { kind: 'value' };
  }

  private acceptsUndefined(type: TS.Type): boolean {
    return type.isUnion() && type.types.some((t) => t.flags & this.ts.TypeFlags.Undefined);
  }

  private isLiteral(node: TS.Expression): boolean {
    const k = this.ts.SyntaxKind;
    if (this.ts.isPrefixUnaryExpression(node) && node.operator === k.MinusToken) return this.ts.isNumericLiteral(node.operand);
    return this.ts.isStringLiteral(node) || this.ts.isNumericLiteral(node) || node.kind === k.TrueKeyword || node.kind === k.FalseKeyword || this.ts.isNoSubstitutionTemplateLiteral(node);
  }

  private paramType(type: TS.Type, inArray = false): ParamType | undefined {
    const F = this.ts.TypeFlags;
    const t = this.checker.getNonNullableType(type);
    if (!inArray && this.checker.isArrayType(t)) {
      const item = this.paramType(this.checker.getTypeArguments(t as TS.TypeReference)[0], true);
      return item && item.kind !== 'array' ? { kind: 'array', item } : undefined;
    }
    if (t.flags & F.Boolean) return { kind: 'boolean' };
    if (t.flags & F.String) return { kind: 'string' };
    if (t.flags & F.Number) return { kind: 'number' };
    const parts = t.isUnion() ? t.types : [t];
    if (parts.every((p) => p.isStringLiteral())) return { kind: 'enum', values: parts.map((p) => (p as TS.StringLiteralType).value) };
    if (parts.every((p) => p.isStringLiteral() || p.isNumberLiteral())) return { kind: 'literals', values: parts.map((p) => (p as TS.LiteralType).value as string | number) };
    return undefined;
  }

  private paramDoc(p: TS.ParameterDeclaration): string | undefined {
    const tag = this.ts.getJSDocParameterTags(p)[0];
    const text = typeof tag?.comment === 'string' ? tag.comment : tag?.comment ? this.ts.getTextOfJSDocComment(tag.comment) : undefined;
    return text?.trim() || undefined;
  }

  /** `@example addBook("Dune", 12)`: the literal arguments of example calls, by position. */
  private exampleCalls(member: TS.MethodDeclaration, method: string): (string | number | boolean | undefined)[][] {
    const out: (string | number | boolean | undefined)[][] = [];
    for (const tag of this.ts.getJSDocTags(member)) {
      if (tag.tagName.text !== 'example') continue;
      const text = typeof tag.comment === 'string' ? tag.comment : this.ts.getTextOfJSDocComment(tag.comment) ?? '';
      const src = this.ts.createSourceFile('example.ts', text.replace(/```\w*/g, ''), this.ts.ScriptTarget.ES2022, true);
      const visit = (node: TS.Node): void => {
        if (this.ts.isCallExpression(node)) {
          const callee = node.expression;
          const name = this.ts.isPropertyAccessExpression(callee) ? callee.name.text : this.ts.isIdentifier(callee) ? callee.text : '';
          if (name === method) out.push(node.arguments.map((a) => this.literalValue(a)));
        }
        this.ts.forEachChild(node, visit);
      };
      visit(src);
    }
    return out;
  }

  private literalValue(node: TS.Expression): string | number | boolean | undefined {
    if (this.ts.isStringLiteral(node) || this.ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (this.ts.isNumericLiteral(node)) return Number(node.text);
    if (this.ts.isPrefixUnaryExpression(node) && node.operator === this.ts.SyntaxKind.MinusToken && this.ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
    if (node.kind === this.ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === this.ts.SyntaxKind.FalseKeyword) return false;
    return undefined;
  }
}

/** `e.g. "Dune", "Emma"` (or single quotes) in a description: the quoted values after "e.g.". */
export function quotedExamples(description: string): string[] {
  const at = description.search(/\be\.g\.|\bfor example\b/i);
  if (at < 0) return [];
  return [...description.slice(at).matchAll(/"([^"]+)"|'([^']+)'|“([^”]+)”/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}
