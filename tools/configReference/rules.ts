import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { cell } from "./render";

const ROOT = join(__dirname, "..", "..");

/** Where the cross-key rules live: the config's schema files and each store kind's config. */
function ruleSources(): string[] {
  const config = join(ROOT, "components", "config");
  const stores = join(ROOT, "components", "stores");
  return [
    ...readdirSync(config).filter((file) => file.endsWith(".ts")).map((file) => join(config, file)),
    join(stores, "rules.ts"),
    ...readdirSync(stores, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => readdirSync(join(stores, entry.name)).filter((file) => file === "config.ts").map((file) => join(stores, entry.name, file))),
  ].sort();
}

export interface Rule {
  /** The key the rule reports on; `[]` is any item of a list, `{name}` a key the code picks. */
  key: string;
  /** The rule's own error message, `{name}` where the code fills a value in. */
  message: string;
  /** File and function that hold the rule. */
  source: string;
}

/**
 * The cross-key rules, read from the code that enforces them: every issue reported at a path with
 * a message the code spells out (`issue(["persistence", "multiAz"], …, "must be true in production …")`
 * or `ctx.addIssue({ path, message })`). Reading the rules' own messages keeps this list from
 * drifting from them; checks whose message comes from a catalog (engine versions, SKUs, Kubernetes
 * versions) are listed by their function.
 */
export function crossKeyRules(): Rule[] {
  const rules: Rule[] = [];
  for (const file of ruleSources()) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const found = ruleAt(node);
        if (found) rules.push({ ...found, key: withPrefix(found.key, node), source: `${relative(ROOT, file)} (${functionName(node)})` });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return rules;
}

function ruleAt(call: ts.CallExpression): { key: string; message: string } | undefined {
  const [first, , third] = call.arguments;
  // issue(path, input, message)
  if (first && third && ts.isArrayLiteralExpression(first)) {
    const message = textOf(third);
    if (message) return { key: pathOf(first), message };
  }
  // ctx.addIssue({ path, message })
  if (first && ts.isObjectLiteralExpression(first)) {
    const property = (name: string) =>
      first.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && candidate.name.getText() === name)?.initializer;
    // `{ path, message }`: the path is a variable the rule fills per key.
    const pathShorthand = first.properties.some((candidate) => ts.isShorthandPropertyAssignment(candidate) && candidate.name.text === "path");
    const path = pathShorthand ? ts.factory.createIdentifier("path") : property("path");
    const message = property("message");
    const text = message && textOf(message);
    if (path && ts.isArrayLiteralExpression(path) && text && !path.elements.some(ts.isSpreadElement)) return { key: pathOf(path), message: text };
    // A rule over several keys reports each at its own path.
    if (path && ts.isIdentifier(path) && text) return { key: `{${path.text}}`, message: text };
  }
  return undefined;
}

function pathOf(path: ts.ArrayLiteralExpression): string {
  return path.elements
    .map((element) => {
      if (ts.isStringLiteral(element)) return `.${element.text}`;
      if (ts.isNumericLiteral(element) || (ts.isIdentifier(element) && element.text === "index")) return "[]";
      return `.{${element.getText().replace(/^\.\.\./, "")}}`;
    })
    .join("")
    .replace(/^\./, "");
}

function textOf(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((span) => `{${placeholder(span.expression)}}${span.literal.text}`).join("");
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = textOf(node.left);
    const right = textOf(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (ts.isParenthesizedExpression(node)) return textOf(node.expression);
  return undefined;
}

/** A value the message fills in, named as briefly as the code names it. */
function placeholder(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  // String(hosting), formatVersion(server), LIST.join(", "): the value they format.
  if (ts.isCallExpression(expression)) {
    const callee = expression.expression;
    if (ts.isPropertyAccessExpression(callee)) return placeholder(callee.expression);
    if (expression.arguments.length === 1) return placeholder(expression.arguments[0]);
  }
  const text = expression.getText();
  return text.length <= 30 ? text : "…";
}

/** A rule function that reports under a prefix (`path: ["webConsole", ...path]`) names keys relative to it. */
function withPrefix(key: string, node: ts.Node): string {
  const body = enclosingFunction(node, true);
  const prefix = body?.getText().match(/path: \[((?:"[A-Za-z]+",\s*)+)\.\.\.path\]/)?.[1];
  if (!prefix) return key;
  return [...prefix.matchAll(/"([A-Za-z]+)"/g)].map((match) => match[1]).join(".") + (key.startsWith("[") ? key : `.${key}`);
}

function enclosingFunction(node: ts.Node, outermost = false): ts.FunctionDeclaration | ts.VariableStatement | undefined {
  let found: ts.FunctionDeclaration | ts.VariableStatement | undefined;
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || (ts.isVariableStatement(current) && ts.isSourceFile(current.parent))) {
      found = current;
      if (!outermost) return found;
    }
  }
  return found;
}

function functionName(node: ts.Node): string {
  const outer = enclosingFunction(node, true);
  if (!outer) return "schema";
  if (ts.isFunctionDeclaration(outer)) return outer.name?.text ?? "function";
  return outer.declarationList.declarations[0]?.name.getText() ?? "schema";
}

const POD_BLOCKS = "pod override blocks";
const SEVERAL_KEYS = "several keys";

/** The section of the reference a rule belongs to: the top-level key it reports on. */
function sectionOf(rule: Rule, topKeys: string[]): string {
  const top = /^[A-Za-z]+/.exec(rule.key)?.[0];
  if (top && topKeys.includes(top)) return top;
  // podRules checks one pod block and reports relative to it.
  return top && /pod/i.test(rule.source) ? POD_BLOCKS : SEVERAL_KEYS;
}

export function rulesSection(topKeys: string[]): string[] {
  const rules = crossKeyRules();
  const byTop = new Map<string, Rule[]>([...topKeys, POD_BLOCKS, SEVERAL_KEYS].map((section) => [section, []]));
  for (const rule of rules) {
    const section = sectionOf(rule, topKeys);
    byTop.get(section)!.push(section === POD_BLOCKS ? { ...rule, key: `pod.${rule.key}` } : rule);
  }
  const lines = [
    "## Rules between keys",
    "",
    "Checked on the merged config, after every key has passed its own type check. Each rule is listed with",
    "the message the config check prints, read from the code that enforces it (`{name}` stands for a value",
    "the check fills in, `[]` for any item of a list); the source column says where it lives. Engine versions,",
    "compute sizes and Kubernetes versions are also checked against the dated catalogs of what the managed",
    "services offer (components/config/catalogRules.ts), with messages that list the allowed values.",
    "",
  ];
  for (const [section, group] of byTop) {
    if (group.length === 0) continue;
    const title = section === POD_BLOCKS || section === SEVERAL_KEYS ? section.charAt(0).toUpperCase() + section.slice(1) : `Rules on \`${section}\``;
    lines.push(`### ${title}`, "", "| Key | Rule | Source |", "| --- | --- | --- |");
    for (const rule of group) lines.push(`| \`${cell(rule.key)}\` | ${cell(rule.message)} | ${cell(rule.source)} |`);
    lines.push("");
  }
  return lines;
}
