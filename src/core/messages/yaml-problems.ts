/**
 * The YAML parser's (the `yaml` package's) messages as our own codes. The parser says its problems only in
 * English sentences (its error codes are too coarse to name them), so this is the one place where English
 * is read back: third-party text, never ours. A sentence not listed here stays as the parser wrote it.
 */
import { msg } from './format.ts';
import type { Message } from './codes.ts';

type Reading = [RegExp, (g: string[]) => Message];

const PLAIN_START: Record<string, 'flow' | 'directive' | 'block' | 'reserved'> = {
  'flow indicator character': 'flow',
  'directive indicator character': 'directive',
  'block scalar indicator': 'block',
  'reserved character': 'reserved',
};

const READINGS: Reading[] = [
  [
    /^Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    () => msg('yaml.flow-seq-indent'),
  ],
  [/^Flow map in block collection must be sufficiently indented and end with a \}$/, () => msg('yaml.flow-map-indent')],
  [/^Implicit keys of flow sequence pairs need to be on a single line$/, () => msg('yaml.flow-pair-key-line')],
  [/^Nested mappings are not allowed in compact mappings$/, () => msg('yaml.nested-compact-map')],
  [/^Implicit keys need to be on a single line$/, () => msg('yaml.implicit-key-line')],
  [/^Implicit map keys need to be followed by map values$/, () => msg('yaml.implicit-key-value')],
  [/^Missing closing (["'])quote$/, (g) => msg('yaml.missing-quote', { quote: g[1] })],
  [/^Tabs are not allowed as indentation$/, () => msg('yaml.tab-indent')],
  [/^Unexpected scalar at node end$/, () => msg('yaml.scalar-at-end')],
  [
    /^Unexpected (\S+) token in YAML stream: "(.*)"$/s,
    (g) => msg('yaml.unexpected-token', { token: g[1], source: g[2] }),
  ],
  [/^Unexpected (\S+) on same line with key$/, (g) => msg('yaml.unexpected-on-key-line', { what: g[1] })],
  [/^Unexpected , in flow sequence$/, () => msg('yaml.comma-in-seq')],
  [/^Unexpected , in flow map$/, () => msg('yaml.comma-in-map')],
  [/^Unexpected empty item in flow sequence$/, () => msg('yaml.empty-seq-item')],
  [/^Unexpected empty item in flow map$/, () => msg('yaml.empty-map-item')],
  [/^Missing , or : between flow sequence items$/, () => msg('yaml.missing-comma-colon-seq')],
  [/^Missing , or : between flow map items$/, () => msg('yaml.missing-comma-colon-map')],
  [/^Missing , between flow sequence items$/, () => msg('yaml.missing-comma-seq')],
  [/^Missing , between flow map items$/, () => msg('yaml.missing-comma-map')],
  [/^Map keys must be unique$/, () => msg('yaml.duplicate-key')],
  [/^Unresolved tag: (.*)$/s, (g) => msg('yaml.unresolved-tag', { tag: g[1] })],
  [
    /^Unresolved alias \(the anchor must be set before the alias\): (.*)$/s,
    (g) => msg('yaml.unresolved-alias', { alias: g[1] }),
  ],
  [/^All sequence items must start at the same column$/, () => msg('yaml.seq-column')],
  [/^All mapping items must start at the same column$/, () => msg('yaml.map-column')],
  [/^Plain value cannot start with a tab character$/, () => msg('yaml.plain-start-tab')],
  [
    /^Plain value cannot start with (flow indicator character|directive indicator character|block scalar indicator|reserved character) (\S+)$/,
    (g) => msg('yaml.plain-start', { kind: PLAIN_START[g[1]], char: g[2] }),
  ],
  [
    /^Source contains multiple documents; please use YAML\.parseAllDocuments\(\)$/,
    () => msg('yaml.multiple-documents'),
  ],
  [/^Invalid escape sequence (.*)$/s, (g) => msg('yaml.bad-escape', { sequence: g[1] })],
  [/^Block scalar header includes extra characters: (.*)$/s, (g) => msg('yaml.block-scalar-header', { text: g[1] })],
  [/^Comments must be separated from other tokens by white space characters$/, () => msg('yaml.comment-space')],
  [/^A block sequence may not be used as an implicit map key$/, () => msg('yaml.block-seq-key')],
  [/^Sequence item without - indicator$/, () => msg('yaml.seq-no-dash')],
  [/^A node can have at most one anchor$/, () => msg('yaml.one-anchor')],
  [/^A node can have at most one tag$/, () => msg('yaml.one-tag')],
  [/^Alias cannot be an empty string$/, () => msg('yaml.empty-alias')],
  [/^Anchor cannot be an empty string$/, () => msg('yaml.empty-anchor')],
  [/^Excessive alias count indicates a resource exhaustion attack$/, () => msg('yaml.alias-count')],
];

/** One line of the YAML parser's message (with or without its " at line N, column M:" ending) as a message. */
export function yamlProblem(text: string): Message {
  const at = /^(.*) at line (\d+), column (\d+):$/s.exec(text);
  if (at) return msg('yaml.at', { problem: yamlProblem(at[1]), line: Number(at[2]), column: Number(at[3]) });
  for (const [re, make] of READINGS) {
    const m = re.exec(text);
    if (m) return make([...m]);
  }
  return msg('yaml.other', { text });
}
