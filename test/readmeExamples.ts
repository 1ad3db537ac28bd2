import { readFileSync } from 'node:fs';

export interface Example {
  name: string;
  query: string;
  variables: string | undefined;
}

/** Every ```graphql block of the README, with the ```json block right after it as its variables. */
export function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const out: Example[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== 'graphql') return;
    const next = blocks[i + 1];
    const name = /^(query|mutation|subscription)\s+(\w+)/m.exec(b.body)?.[2] ?? `example ${out.length + 1}`;
    out.push({ name, query: b.body, variables: next?.lang === 'json' ? next.body : undefined });
  });
  return out;
}

/** `{{root.path}}` stands for a value of an earlier example's result. */
export function fill(text: string, results: Record<string, unknown>): string {
  return text.replace(/\{\{([\w.]+)\}\}/g, (_m, path: string) => {
    const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], results);
    if (value === undefined || value === null) throw new Error(`README placeholder {{${path}}} has no value`);
    return (typeof value === 'string' ? value : JSON.stringify(value)).replaceAll('"', '\\"');
  });
}

export const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
