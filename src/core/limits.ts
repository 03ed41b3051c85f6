/**
 * Every limit on what a file may make us do, in one place (the README's "Security" section quotes these; a
 * test checks that it does so exactly). Each is far above what a real model needs and far below what would
 * hang the app or exhaust its memory. Where a limit can be raised, the option or flag that raises it is named.
 */
export const LIMITS = {
  /** A model config's text (characters). */
  modelBytes: 4 * 1024 * 1024,
  /** A module library's text (characters). */
  libraryBytes: 1024 * 1024,
  /** Values a model YAML may expand to (aliases included). */
  yamlValues: 200_000,
  /** Nesting of brackets and block collections in a YAML file. */
  nesting: 100,
  /** Rows in backbone + head. */
  rows: 2000,
  /** Output channels of one layer. */
  channels: 1 << 20,
  /** Input size (pixels per side). */
  imageSize: 16384,
  /** A convolution's or pooling's kernel, stride, padding and dilation. */
  kernel: 16384,
  /** A row's repeats `n`, before and after depth_multiple; a module node's `repeat`. */
  repeats: 1000,
  /** Repeats of all rows of one model together, after depth_multiple (AnalyzeOptions.limits.totalRepeats). */
  totalRepeats: 10_000,
  /** Work of one model build: modules, values and loop steps (AnalyzeOptions.limits.work). */
  work: 500_000,
  /** Modules inside modules. */
  moduleDepth: 32,
  /** A Python expression's length (characters) and nesting. */
  expressionLength: 2000,
  expressionDepth: 100,
  /** Elements of a list an expression makes (all levels together). */
  listLength: 10_000,
  /** Steps of one loop (`for:`) in a module description. */
  loopSteps: 10_000,
  /** A checkpoint (.pt) file, and the pickle inside it (bytes). */
  checkpointBytes: 2 ** 31 - 1,
  pickleBytes: 64 * 1024 * 1024,
  /** Values a checkpoint's pickle may create (UnpickleOptions.maxValues). */
  pickleValues: 2_000_000,
  /** Work spent on dict keys while unpickling (tuple parts and key characters, UnpickleOptions.maxKeyWork). */
  pickleKeyWork: 50_000_000,
  /** Nesting of a dict key (tuples inside tuples) while unpickling. */
  pickleKeyDepth: 100,
  /** Modules of a checkpoint's model, a shared one counted each time it is used (as state_dict walks them). */
  checkpointModules: 100_000,
  /** Tensors (parameters and buffers) of a checkpoint's model. */
  checkpointTensors: 1_000_000,
  /** Nesting of the model config a checkpoint carries, and the values it expands to (shared lists copied). */
  checkpointConfigDepth: 32,
  checkpointConfigValues: 200_000,
  /** Memory `run` may allocate for weights and activations (bytes; `run --max-memory`, LoadOptions.maxMemory). */
  runMemory: 2 * 1024 ** 3,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };

/**
 * The limits an analysis reads from its options (AnalyzeOptions.limits), so a caller may raise them: the CLI's
 * `--limit NAME=N` takes exactly these. The others are fixed here.
 */
export const ANALYSIS_LIMITS = ['work', 'repeats', 'totalRepeats', 'loopSteps', 'kernel', 'moduleDepth'] as const;

/** The limits with some raised (or lowered). */
export const limitsWith = (over: Partial<Limits> = {}): Limits => ({ ...LIMITS, ...over });
