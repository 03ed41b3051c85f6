/**
 * src/core's messages in the UI's language. The core stays English (the CLI and its tests read it); here
 * every message the app shows has its English pattern, per diagnostic code, with the variable parts
 * (names, numbers, shapes, quoted values) captured and put back unchanged into the Chinese template.
 * A message no pattern matches stays English as it is: never half translated, never garbled.
 *
 * Templates: `{1}` is capture 1 as written; `{1|sub}` is capture 1 translated by a sub-catalog (`inner`:
 * a message of the same code, as in "layer 3 Conv: <what the module raised>"). Strict sub-catalogs make
 * the entry fail when they do not know the text; lenient ones (third-party text such as the YAML parser's,
 * Python evaluation errors, a user's own check message) keep an unknown text as it is.
 */
import type { Lang } from './i18n.ts';

/** Codes for messages that are not diagnostics: edit commands refused, checkpoints that cannot be read, library edits. */
export const EDIT_FAILED = 'edit-failed';
export const CHECKPOINT_ERROR = 'checkpoint';
/** Export for YOLOv5 refused because the model has errors: `Export for YOLOv5: Fix the model first: message`. */
export const EXPORT_REFUSED = 'export-refused';
/** A library file's first problem with its line, as the app says when one is opened: `NAME.modules.yaml:3: message`. */
export const LIBRARY_FILE = 'library-file';

type Fill = (g: string[], sub: (name: string, text: string) => string) => string;

interface Entry {
  codes: readonly string[];
  re: RegExp;
  zh: string | Fill;
  /** Matches almost anything of its code (a user's own text after a name): tried last when the code is unknown. */
  loose?: boolean;
}

/** An entry: `codes` it applies to ('*': any code), the English pattern (whole message), the Chinese. */
const e = (codes: string | readonly string[], en: RegExp, zh: string | Fill, loose = false): Entry => ({
  codes: typeof codes === 'string' ? [codes] : codes,
  re: new RegExp(`^(?:${en.source})$`, 's'),
  zh,
  ...(loose ? { loose } : {}),
});

// Sub-catalogs have codes starting with '@': never a diagnostic's code, only reached through `{n|name}`.
const PY = '@py';
const YAML = '@yaml';
const WHAT = '@what';
const PROBLEM = '@problem';
const ARGDOC = '@argdoc';
const CHECK = '@check';
const LIB = '@lib';
const WHERE = '@where';

const opt = (v: string | undefined, f: (v: string) => string) => (v === undefined || v === '' ? '' : f(v));

const ENTRIES: Entry[] = [
  // ---------------------------------------------------------------- reading the YAML (document.ts)
  e(
    'file-too-large',
    /the file is (\S+) MiB; a model config is at most (\S+) MiB/,
    '文件大小为 {1} MiB；模型配置文件最大 {2} MiB',
  ),
  e(['yaml-syntax', 'module-library'], /the YAML cannot be read: (.*)/, '无法读取 YAML：{1|yaml}'),
  e('yaml-syntax', /YAML syntax: (.*)/, 'YAML 语法错误：{1|yaml}'),
  e('yaml-warning', /YAML: (.*)/, 'YAML 警告：{1|yaml}'),
  e(
    'missing-section',
    /the file is empty: a model config needs nc, depth_multiple, width_multiple, anchors, backbone and head/,
    '文件为空：模型配置需要 nc、depth_multiple、width_multiple、anchors、backbone 和 head',
  ),
  e(
    'not-a-mapping',
    /a model config is a mapping of keys \(nc, anchors, backbone, head, \.\.\.\), not a list or a single value/,
    '模型配置应是由键组成的映射（nc、anchors、backbone、head 等），而不是列表或单个值',
  ),
  e(
    'duplicate-key',
    /'(.*)' appears twice; the last one counts, as in PyYAML/,
    "'{1}' 出现了两次；与 PyYAML 一样，以最后一个为准",
  ),
  e(
    'yaml-too-large',
    /the YAML expands to more than ([\d,]+) values \(aliases repeated too often\?\); it is not read/,
    'YAML 展开后超过 {1} 个值（别名引用过多？），不予读取',
  ),
  e(
    'bad-section',
    /'(\w+)' must be a list of \[from, number, module, args\] rows/,
    "'{1}' 必须是由 [from, number, module, args] 行组成的列表",
  ),
  e(
    'bad-row',
    /a (\w+) row is \[from, number, module, args\]; this one has (?:(\d+) items|a single value)/,
    (g) =>
      `${g[1]} 的行格式是 [from, number, module, args]；${g[2] !== undefined ? `这一行有 ${g[2]} 项` : '这一行只是单个值'}`,
  ),
  e(
    'bad-args',
    /a row's arguments are a list, e\.g\. \[64, 3, 2\]; got (.*)/,
    '一行的参数应是列表，例如 [64, 3, 2]；实际为 {1}',
  ),

  // ---------------------------------------------------------------- the header (propagate.ts)
  e(
    'bad-img-size',
    /the input size must be a whole number from 1 to (\d+), got (.*)/,
    '输入尺寸必须是 1 到 {1} 之间的整数，实际为 {2}',
  ),
  e('missing-key', /'(\w+)' is missing: YOLOv5 reads it \(KeyError\)/, "缺少 '{1}'：YOLOv5 会读取它（KeyError）"),
  e(
    'missing-section',
    /'(\w+):' is missing: a model config needs both backbone and head/,
    "缺少 '{1}:'：模型配置需要同时包含 backbone 和 head",
  ),
  e(
    'bad-value',
    /(\w+) must be a positive number \(e\.g\. 0\.33\), got (.*)/,
    '{1} 必须是正数（例如 0.33），实际为 {2}',
  ),
  e(
    'bad-value',
    /nc \(the number of classes\) must be a whole number from 1 to 100000, got (.*)/,
    'nc（类别数）必须是 1 到 100000 之间的整数，实际为 {1}',
  ),
  e(
    'bad-value',
    /ch \(input channels\) must be a whole number from 1 to 4096, got (.*)/,
    'ch（输入通道数）必须是 1 到 4096 之间的整数，实际为 {1}',
  ),
  e(
    'bad-value',
    /channel_multiple must be a whole number from 1 to 1024, got (.*)/,
    'channel_multiple 必须是 1 到 1024 之间的整数，实际为 {1}',
  ),
  e(
    'bad-activation',
    /activation must construct a torch activation such as nn\.LeakyReLU\(0\.1\), nn\.SiLU\(\) or nn\.ReLU\(\); got (.*)/,
    'activation 必须构造一个 torch 激活函数，例如 nn.LeakyReLU(0.1)、nn.SiLU() 或 nn.ReLU()；实际为 {1}',
  ),
  e(
    'bad-anchors',
    /anchors must be one list of \(width, height\) pairs per level, all levels with the same count, e\.g\. \[10, 13, 16, 30, 33, 23\]/,
    'anchors 必须为每个检测层给出一个 (宽, 高) 数对列表，且各层数量相同，例如 [10, 13, 16, 30, 33, 23]',
  ),
  e(
    'bad-anchors',
    /anchors must be a list of per-level lists of \(width, height\) pairs, or a number of anchors per level; got (.*)/,
    'anchors 必须是按检测层排列的 (宽, 高) 数对列表，或每层的锚框数量；实际为 {1}',
  ),
  e('too-many-rows', /(\d+) rows; at most (\d+) are read/, '共 {1} 行；最多只读取 {2} 行'),

  // ---------------------------------------------------------------- the Ultralytics header (parse-model/ultralytics.ts)
  e(
    'scale-assumed',
    /the file name names no scale, so Ultralytics uses the first one, '(.*)' \(yolo11n\.yaml is scale n of yolo11\.yaml; choose another with the scale switcher or --scale\)/,
    "文件名中没有规模，因此 Ultralytics 使用第一个规模 '{1}'（yolo11n.yaml 即 yolo11.yaml 的 n 规模；可用规模切换器或 --scale 选择其他规模）",
  ),

  // ---------------------------------------------------------------- rows (propagate.ts)
  e(
    'unknown-module',
    /unknown module '(.*)'(?:; did you mean (\S+)\?)? \(known: the YOLOv5 modules, Bottle2neck, C3_Res2Block and your own\)/,
    (g) =>
      `未知模块 '${g[1]}'${opt(g[2], (h) => `；是否想写 ${h}？`)}（可用：YOLOv5 自带模块、Bottle2neck、C3_Res2Block 和你自己的模块）`,
  ),
  e(
    'module-spelling',
    /YOLOv5 evaluates module names, and knows this one only as (\S+): write '(.*)'/,
    "YOLOv5 按名称求值模块，只认识 {1} 这种写法：请写成 '{2}'",
  ),
  e(
    'bad-from',
    /'from' must be a layer index \(-1 for the previous layer\) or a list of them, got (.*)/,
    "'from' 必须是层索引（-1 表示上一层）或层索引列表，实际为 {1}",
  ),
  e(
    'from-forward',
    /'from' (-?\d+) points (at this layer itself|forward): layer (\d+) can only read layers 0 to (-?\d+)( \(layer 0 reads the image with -1\))?/,
    (g) =>
      `'from' ${g[1]} 指向${g[2] === 'forward' ? '后面的层' : '本层自身'}：第 ${g[3]} 层只能读取第 0 到 ${g[4]} 层${g[5] ? '（第 0 层用 -1 读取输入图像）' : ''}`,
  ),
  e(
    'from-out-of-range',
    /'from' (-?\d+) is out of range: layer (\d+) can only read the image \(-1\)/,
    "'from' {1} 超出范围：第 {2} 层只能读取输入图像（-1）",
  ),
  e(
    'from-out-of-range',
    /'from' (-?\d+) is out of range: layer (\d+) can read -1 to -(\d+), or 0 to (\d+)/,
    "'from' {1} 超出范围：第 {2} 层可以读取 -1 到 -{3}，或 0 到 {4}",
  ),
  e(
    'bad-repeats',
    /the number of repeats must be a whole number of at least 1, got (.*)/,
    '重复次数必须是不小于 1 的整数，实际为 {1}',
  ),
  e('bad-repeats', /(\d+) repeats is absurd; at most (\d+)/, '重复 {1} 次太多了；最多 {2} 次'),
  e(
    'bad-repeats',
    /(\S+) takes several inputs, so it cannot be repeated \(number must be 1\)/,
    '{1} 有多个输入，不能重复（number 必须为 1）',
  ),
  e(
    'bad-arg-expression',
    /argument (.*?) is not valid Python when YOLOv5 evaluates it: (.*)/,
    '参数 {1} 不是合法的 Python 表达式，YOLOv5 求值时会出错：{2|py}',
  ),
  e(
    'bad-arg-expression',
    /argument (.*?) fails when YOLOv5 evaluates it: (.*)/,
    'YOLOv5 对参数 {1} 求值时出错：{2|py}',
  ),
  e('bad-row', /the row has no arguments list/, '这一行没有参数列表'),
  e(
    'needs-one-input',
    /(\S+) reads one layer, but 'from' lists (\d+): use Concat first/,
    "{1} 只读取一层，但 'from' 列出了 {2} 层：请先用 Concat 合并",
  ),
  e(
    'missing-arg',
    /(\S+) needs its output channels as the first argument, e\.g\. \[(.*)\]/,
    '{1} 的第一个参数应是输出通道数，例如 [{2}]',
  ),
  e(
    'bad-arg-type',
    /(\S+)'s first argument is its output channels, a number; got (.*)/,
    '{1} 的第一个参数是输出通道数，应为数字；实际为 {2}',
  ),
  e(
    'concat-needs-list',
    /Concat reads a list of layers, e\.g\. \[\[-1, 6\], 1, Concat, \[1\]\]; 'from' is (.*)/,
    "Concat 读取的是层列表，例如 [[-1, 6], 1, Concat, [1]]；当前 'from' 为 {1}",
  ),
  e(
    'detect-needs-list',
    /(\S+) reads a list of layers, e\.g\. \[\[17, 20, 23\], 1, (\S+), \[nc, anchors\]\]/,
    '{1} 读取的是层列表，例如 [[17, 20, 23], 1, {2}, [nc, anchors]]',
  ),
  e('missing-arg', /(\S+) needs \[(nc, anchors(?:, nm, npr)?)\]/, '{1} 需要参数 [{2}]'),
  e('bad-arg-type', /Segment's npr must be a number, got (.*)/, 'Segment 的 npr 必须是数字，实际为 {1}'),
  e(
    'missing-arg',
    /(\S+) needs its gain, a whole number, as the first argument \(e\.g\. \[2\]\)/,
    '{1} 的第一个参数应是增益，一个整数（例如 [2]）',
  ),
  e(
    'too-many-args',
    /(\S+) takes at most (\d+) arguments \((.*)\); this row gives (\d+)( after parse_model adds the input channels)?/,
    (g) =>
      `${g[1]} 最多接受 ${g[2]} 个参数（${g[3]}）；这一行${g[5] ? '在 parse_model 补上输入通道后' : ''}给了 ${g[4]} 个`,
  ),
  e(
    'missing-arg',
    /(\S+) needs its argument '(.*)' \((.*)\); PyTorch raises without it/,
    "{1} 缺少参数 '{2}'（{3|argdoc}）；没有它 PyTorch 会报错",
  ),
  e('bad-arg-type', /(\S+)'s argument '([^']*)' (must be .*?), got (.*)/, "{1} 的参数 '{2}' {3|problem}，实际为 {4}"),
  e('absurd-channels', /(\S+) output channels is absurd \(at most ([\d,]+)\)/, '输出通道数 {1} 过大（最多 {2}）'),
  e('absurd-channels', /(\S+) output channels is impossible \(at most ([\d,]+)\)/, '输出通道数 {1} 不可能（最多 {2}）'),
  e(
    'internal-error',
    /YOLO Architect could not compute this layer \((.*)\); please report it/,
    'YOLO Architect 无法计算这一层（{1}）；请报告此问题',
  ),
  e(
    'channel-bookkeeping',
    /layer (\d+) (\S+) outputs (\S+) channels, but parse_model records (\S+) for the layers that read it/,
    '第 {1} 层 {2} 输出 {3} 个通道，但 parse_model 给读取它的层记录的是 {4}',
  ),
  e(
    'no-head',
    /no Detect or Segment layer: YOLOv5 builds this network but cannot train or run it as a detector/,
    '没有 Detect 或 Segment 层：YOLOv5 能构建这个网络，但不能把它当作检测器训练或运行',
  ),
  e(
    'head-not-last',
    /(\S+) is layer (\d+) but must be the last layer: YOLOv5 treats only the last layer as the head, and its output cannot feed another layer/,
    '{1} 位于第 {2} 层，但它必须是最后一层：YOLOv5 只把最后一层当作检测头，它的输出不能再送入其他层',
  ),
  e(
    'img-size-rounded',
    /YOLOv5 would round the input size (\S+) up to (\S+), a multiple of the largest stride (\d+); shown here at the exact size/,
    'YOLOv5 会把输入尺寸 {1} 向上取整为 {2}（最大步长 {3} 的倍数）；这里按原尺寸显示',
  ),

  // A module's construction or forward failure, as the analysis reports it: "layer 3 Conv: <the module's message>".
  e(
    'channel-mismatch',
    /layer (\d+) (\S+): (\S+) is built for (\d+) input channels but receives (\S+) \(the layer it reads produces a different count; PyTorch fails at forward\)/,
    '第 {1} 层 {2}：{3} 按 {4} 个输入通道构建，却收到 {5} 个（它读取的层输出的通道数不同；PyTorch 前向时会失败）',
  ),
  e('*', /layer (\d+) (\S+): (.*)/, '第 {1} 层 {2}：{3|inner}'),

  // ---------------------------------------------------------------- modules' own failures (graph.ts, modules/*.ts)
  e(
    'size-vanishes',
    /(.+) would make the feature map (\S+?)x(\S+): the input is too small for it/,
    '{1|what}会使特征图变为 {2}x{3}：输入尺寸太小',
  ),
  e(
    'bad-conv',
    /a convolution needs a kernel, stride and dilation of at least 1 and no negative padding \(kernel (\S+), stride (\S+), padding (\S+), dilation (\S+)\)/,
    '卷积的 kernel、stride 和 dilation 至少为 1，padding 不能为负（kernel {1}，stride {2}，padding {3}，dilation {4}）',
  ),
  e(
    'bad-conv',
    /output padding (\S+) must be smaller than the stride or the dilation/,
    'output padding {1} 必须小于 stride 或 dilation',
  ),
  e(
    'bad-attention',
    /attention needs its width (\S+) divisible by its (\S+) heads/,
    '注意力的宽度 {1} 必须能被头数 {2} 整除',
  ),
  e(
    'bad-pool',
    /max pooling's padding (\S+) must be at most half its kernel (\S+)/,
    '最大池化的 padding {1} 不能超过 kernel {2} 的一半',
  ),
  e('bad-pool', /max pooling needs a kernel and stride of at least 1/, '最大池化的 kernel 和 stride 至少为 1'),
  e('concat-size', /cannot concatenate feature maps of different sizes: (.*)/, '无法拼接尺寸不同的特征图：{1}'),
  e(
    'residual-mismatch',
    /(.+) adds (\S+) to (\S+): PyTorch fails on different sizes/,
    '{1|what}把 {2} 与 {3} 相加：尺寸不同，PyTorch 会失败',
  ),
  e(
    'residual-mismatch',
    /Bottle2neck\((\S+), (\S+)\) adds its (\S+)-channel input to (\S+) channels: PyTorch fails \(out \+= residual\); use inplanes == planes or shortcut=False/,
    'Bottle2neck({1}, {2}) 把 {3} 通道的输入加到 {4} 个通道上：PyTorch 会失败（out += residual）；请让 inplanes == planes，或设 shortcut=False',
  ),
  e(
    'residual-mismatch',
    /GhostBottleneck\((\S+), (\S+)\) with stride (\S+) adds its input \((\S+) channels\) to (\S+) channels: PyTorch fails; use c1 == c2 \(even\) or stride 2/,
    'GhostBottleneck({1}, {2}) 在 stride {3} 时把输入（{4} 个通道）加到 {5} 个通道上：PyTorch 会失败；请让 c1 == c2（偶数）或用 stride 2',
  ),
  e(
    'broadcast',
    /cannot multiply (\S+) by (\S+): sizes must match or be 1/,
    '无法将 {1} 与 {2} 相乘：各维尺寸必须相同或为 1',
  ),
  e(
    'focus-odd',
    /Focus slices every second pixel, so it needs an even height and width \(got (\S+?)x(\S+)\)/,
    'Focus 隔一个像素取一次，所以高和宽必须是偶数（实际为 {1}x{2}）',
  ),
  e(
    'contract-size',
    /Contract\((\S+)\) needs the height and width divisible by (\S+) \(got (\S+?)x(\S+)\)/,
    'Contract({1}) 要求高和宽能被 {2} 整除（实际为 {3}x{4}）',
  ),
  e(
    'expand-size',
    /Expand\((\S+)\) needs the channels divisible by (\S+) \(got (\S+)\)/,
    'Expand({1}) 要求通道数能被 {2} 整除（实际为 {3}）',
  ),
  e('unknown-module', /unknown module (\S+)/, '未知模块 {1}'),
  e('channel-mismatch', /built for (\S+) input channels but receives (\S+)/, '按 {1} 个输入通道构建，却收到 {2} 个'),
  e(
    'bad-channels',
    /a convolution needs whole, positive channel counts \(in (\S+), out (\S+)\)/,
    '卷积的通道数必须是正整数（输入 {1}，输出 {2}）',
  ),
  e(
    'bad-channels',
    /Bottle2neck's group width floor\((\S+) \* (\S+) \/ 64\) is 0: use more channels/,
    'Bottle2neck 的分组宽度 floor({1} * {2} / 64) 为 0：请增加通道数',
  ),
  e(
    'bad-groups',
    /groups=(\S+) must divide both the input channels (\S+) and the output channels (\S+)/,
    'groups={1} 必须同时整除输入通道数 {2} 和输出通道数 {3}',
  ),
  e(
    'bad-anchors',
    /anchors must be a list with one list of \(width, height\) pairs per detection level, e\.g\. \[\[10, 13, 16, 30, 33, 23\], \.\.\.\]/,
    'anchors 必须是列表，每个检测层一个 (宽, 高) 数对列表，例如 [[10, 13, 16, 30, 33, 23], ...]',
  ),
  e('bad-anchors', /every detection level needs the same number of anchors/, '每个检测层的锚框数量必须相同'),
  e(
    'bad-nc',
    /nc \(the number of classes\) must be a whole number of at least 1, got (.*)/,
    'nc（类别数）必须是不小于 1 的整数，实际为 {1}',
  ),
  e(
    'anchor-levels',
    /(\d+) anchor levels but (\d+) inputs: Detect needs one anchor list per input layer/,
    '有 {1} 组锚框，却有 {2} 个输入：Detect 的每个输入层需要一组锚框',
  ),
  e('bad-args', /Segment needs a whole number of masks, got (.*)/, 'Segment 的掩码数 nm 必须是正整数，实际为 {1}'),
  e(
    'bad-args',
    /Bottle2neck's scale must be a whole number of at least 1, got (.*)/,
    'Bottle2neck 的 scale 必须是不小于 1 的整数，实际为 {1}',
  ),
  e('bad-args', /MixConv2d needs at least one kernel size/, 'MixConv2d 至少需要一个卷积核尺寸'),
  e('bad-args', /Upsample size must be a number or a pair of numbers/, 'Upsample 的 size 必须是一个数或一对数'),
  e(
    'bad-args',
    /Upsample scale factor must be a number or a pair of numbers/,
    'Upsample 的 scale factor 必须是一个数或一对数',
  ),
  e(
    'bad-args',
    /MaxPool2d with return_indices=True returns a tuple, which the next layer cannot take/,
    'MaxPool2d 设了 return_indices=True 时返回元组，下一层无法接收',
  ),
  e(
    'bad-args',
    /Upsample mode '(.*)' is not supported; use 'nearest' or 'bilinear'/,
    "不支持 Upsample 模式 '{1}'；请用 'nearest' 或 'bilinear'",
  ),
  e('bad-args', /Upsample with align_corners=True is not supported/, '不支持 align_corners=True 的 Upsample'),
  e(
    'bad-args',
    /Upsample takes either a size or a scale factor, not both/,
    'Upsample 只能指定 size 或 scale factor 之一，不能同时指定',
  ),
  e(
    'bad-args',
    /Upsample needs a size or a scale factor, e\.g\. \[None, 2, "nearest"\]/,
    'Upsample 需要 size 或 scale factor，例如 [None, 2, "nearest"]',
  ),
  e('bad-args', /Upsample scale must be positive/, 'Upsample 的缩放倍数必须为正'),
  e(
    'bad-args',
    /ZeroPad2d takes one whole number or \[left, right, top, bottom\]/,
    'ZeroPad2d 接受一个整数或 [left, right, top, bottom]',
  ),
  e(
    'bad-args',
    /Concat along dimension (\S+) is not supported; YOLOv5 configs concatenate channels \(1\)/,
    '不支持沿维度 {1} 拼接；YOLOv5 配置沿通道维（1）拼接',
  ),
  e(
    'residual-dropped',
    /(\S+)\((\S+), (\S+)\) has shortcut=True but c1 != c2, so YOLOv5 silently drops the residual/,
    '{1}({2}, {3}) 设了 shortcut=True，但 c1 != c2，YOLOv5 会悄悄去掉残差连接',
  ),

  // ---------------------------------------------------------------- edits (edit/analysis.ts)
  e(
    'from-deleted-layer',
    /layer (\d+) read layer (\d+)(?: \((.*)\))?, which was deleted; choose another input in 'from' \((.*) marks the place\)/,
    (g) =>
      `第 ${g[1]} 层读取的第 ${g[2]} 层${opt(g[3], (m) => `（${m}）`)}已被删除；请在 'from' 中另选输入（${g[4]} 标记了该位置）`,
  ),

  e('input-error', /input layer (\d+) has an error/, '输入层 {1} 有错误'),

  // ---------------------------------------------------------------- edit commands refused (edit/commands.ts, restructure.ts, source.ts)
  e(EDIT_FAILED, /internal error in (\S+): (.*); please report it/, '{1} 内部错误：{2}；请报告此问题'),
  e(EDIT_FAILED, /nothing to do/, '没有需要修改的内容'),
  e(EDIT_FAILED, /the edit would make the YAML unreadable: (.*)/, '这次编辑会让 YAML 无法读取：{1|any}'),
  e(
    EDIT_FAILED,
    /(.+):(\d+): the YAML cannot be read \((.*)\); fix it in the text first/,
    '{1}:{2}：YAML 无法读取（{3|any}）；请先在文本中修正',
  ),
  e(
    EDIT_FAILED,
    /there is no layer (\S+) \(the model has (\d+) layers(?:, 0-(\d+))?\)/,
    (g) => `没有第 ${g[1]} 层（模型共 ${g[2]} 层${opt(g[3], (n) => `，0-${n}`)}）`,
  ),
  e(EDIT_FAILED, /there is no layer (\S+)/, '没有第 {1} 层'),
  e(EDIT_FAILED, /cannot insert at (\S+): positions are 0 to (\d+)/, '无法插入到位置 {1}：位置范围是 0 到 {2}'),
  e(
    EDIT_FAILED,
    /a row is one line \[from, number, module, args\], e\.g\. \[-1, 1, Conv, \[128, 1, 1\]\]; got (.*)/,
    '行须写成单行的 [from, number, module, args]，例如 [-1, 1, Conv, [128, 1, 1]]；实际为 {1}',
  ),
  e(
    EDIT_FAILED,
    /layer (\d+) cannot be in the (\w+) \(the backbone is layers 0-(-?\d+)\)/,
    '第 {1} 层不能放在 {2} 中（backbone 是第 0-{3} 层）',
  ),
  e(EDIT_FAILED, /cannot delete: (.*)/, '无法删除：{1|inner}'),
  e(EDIT_FAILED, /no layers to delete/, '没有要删除的层'),
  e(EDIT_FAILED, /cannot move to (\S+): positions are 0 to (-?\d+)/, '无法移动到 {1}：位置范围是 0 到 {2}'),
  e(EDIT_FAILED, /index (\S+) is not in the (\w+)/, '索引 {1} 不在 {2} 中'),
  e(
    EDIT_FAILED,
    /unknown module '(.*)'(?:; did you mean (\S+)\?)?/,
    (g) => `未知模块 '${g[1]}'${opt(g[2], (h) => `；是否想写 ${h}？`)}`,
  ),
  e(EDIT_FAILED, /no layer uses module '(.*)'/, "没有层使用模块 '{1}'"),
  e(EDIT_FAILED, /layer (\d+) has no arguments list to edit/, '第 {1} 层没有可编辑的参数列表'),
  e(EDIT_FAILED, /an argument cannot be empty/, '参数不能为空'),
  e(
    EDIT_FAILED,
    /layer (\d+) has (\d+) arguments; argument (\S+) would leave a gap/,
    '第 {1} 层有 {2} 个参数；设置参数 {3} 会留下空位',
  ),
  e(
    EDIT_FAILED,
    /the number of repeats is a whole number of at least 1, got (.*)/,
    '重复次数必须是不小于 1 的整数，实际为 {1}',
  ),
  e(EDIT_FAILED, /layer (\d+) has no number to edit/, '第 {1} 层没有可编辑的 number'),
  e(
    EDIT_FAILED,
    /'from' is a layer index or a list of them \(e\.g\. -1 or \[-1, 6\]\), got (.*)/,
    "'from' 应是层索引或层索引列表（例如 -1 或 [-1, 6]），实际为 {1}",
  ),
  e(EDIT_FAILED, /'from' is a layer index or a list of them, got (.*)/, "'from' 应是层索引或层索引列表，实际为 {1}"),
  e(
    EDIT_FAILED,
    /layer 0 can read only the image \(-1\); (\S+) is out of range/,
    '第 0 层只能读取输入图像（-1）；{1} 超出范围',
  ),
  e(
    EDIT_FAILED,
    /layer (\d+) can read -1 to -(\d+) or 0 to (\d+); (\S+) is out of range/,
    '第 {1} 层可以读取 -1 到 -{2} 或 0 到 {3}；{4} 超出范围',
  ),
  e(EDIT_FAILED, /layer (\d+) has no 'from' to edit/, "第 {1} 层没有可编辑的 'from'"),
  e(EDIT_FAILED, /layer (\d+)'s 'from' is (.*); set it whole first/, "第 {1} 层的 'from' 为 {2}；请先把它整体设好"),
  e(
    EDIT_FAILED,
    /(position|input) (\S+) does not exist: layer (\d+) has (\d+) inputs?/,
    (g) => `${g[1] === 'position' ? '位置' : '输入'} ${g[2]} 不存在：第 ${g[3]} 层有 ${g[4]} 个输入`,
  ),
  e(
    EDIT_FAILED,
    /layer (\d+) reads only one input; a layer must read at least one/,
    '第 {1} 层只读取一个输入；每层至少要读取一个',
  ),
  e(EDIT_FAILED, /'(.*)' is not a header key \((.*)\)/, "'{1}' 不是头部的键（{2}）"),
  e(EDIT_FAILED, /unknown scale '(.*)': n, s, m, l or x/, "未知的规模 '{1}'：可选 n、s、m、l 或 x"),
  e(EDIT_FAILED, /an edit failed/, '有一项编辑失败'),
  e(EDIT_FAILED, /unknown edit (.*)/, '未知的编辑 {1}'),
  e(
    EDIT_FAILED,
    /(.*) is not one argument \(write each as YAML, e\.g\. 256, False, "nearest", \[5, 9, 13\]\)/,
    '{1} 不是一个参数（每个参数按 YAML 书写，例如 256, False, "nearest", [5, 9, 13]）',
  ),
  e(
    EDIT_FAILED,
    /(.*) is not (\d+) arguments \(write each as YAML, e\.g\. 256, False, "nearest", \[5, 9, 13\]\)/,
    '{1} 不是 {2} 个参数（每个参数按 YAML 书写，例如 256, False, "nearest", [5, 9, 13]）',
  ),
  e(
    EDIT_FAILED,
    /a text change must lie within the text \(0-(\d+)\), got (\S+)-(\S+)/,
    '文本修改必须在文本范围内（0-{1}），实际为 {2}-{3}',
  ),
  e(EDIT_FAILED, /text changes must not overlap/, '文本修改不能重叠'),
  e(EDIT_FAILED, /'(.*)' is not a module name/, "'{1}' 不是模块名"),
  e(EDIT_FAILED, /layer (\d+) has no module to change/, '第 {1} 层没有可更改的模块'),
  e(EDIT_FAILED, /(\w+) needs a one-line value/, '{1} 需要单行的值'),
  e(EDIT_FAILED, /backbone rows must all come before head rows/, 'backbone 的行必须都在 head 的行之前'),
  e(EDIT_FAILED, /layer (\d+) appears twice/, '第 {1} 层出现了两次'),
  e(EDIT_FAILED, /internal: rows that stay must keep their order/, '内部错误：保留的行必须保持原有顺序'),
  e(EDIT_FAILED, /internal: overlapping edits/, '内部错误：编辑范围重叠'),
  e(EDIT_FAILED, /the config has no '(\w+):' section to insert into/, "配置中没有可插入的 '{1}:' 部分"),
  e(EDIT_FAILED, /cannot find where to write rows in the '(\w+):' section/, "找不到在 '{1}:' 部分中写入行的位置"),
  e(EDIT_FAILED, /the edited text does not read back as the intended rows/, '编辑后的文本读回时与预期的行不一致'),
  e(
    EDIT_FAILED,
    /(.*) is not one row \[from, number, module, args\]: (YAML.*)/,
    '{1} 不是一行 [from, number, module, args]：{2|any}',
  ),
  e(EDIT_FAILED, /(.*) is not one row \[from, number, module, args\]/, '{1} 不是一行 [from, number, module, args]'),
  e(EDIT_FAILED, /(\w+): (.*) is not a valid value: (YAML.*)/, '{1}: {2} 不是有效的值：{3|any}'),
  e(EDIT_FAILED, /(\w+): (.*) is not a valid value/, '{1}: {2} 不是有效的值'),

  // ---------------------------------------------------------------- checkpoints (checkpoint/*.ts)
  e(CHECKPOINT_ERROR, /(\S+\.pt): (.*)/, '{1}：{2|inner}'),
  e(
    CHECKPOINT_ERROR,
    /this is a legacy \(PyTorch < 1\.6\) checkpoint; re-save it with a current PyTorch \(torch\.save writes a zip archive\)/,
    '这是旧格式（PyTorch < 1.6）的检查点；请用新版 PyTorch 重新保存（torch.save 会写成 zip 归档）',
  ),
  e(
    CHECKPOINT_ERROR,
    /not a PyTorch checkpoint: a \.pt file is a zip archive \(it does not start with PK\)/,
    '不是 PyTorch 检查点：.pt 文件应是 zip 归档（它不以 PK 开头）',
  ),
  e(CHECKPOINT_ERROR, /the checkpoint is malformed \((.*)\)/, '检查点已损坏（{1}）'),
  e(CHECKPOINT_ERROR, /the archive holds (\d+) data\.pkl files/, '归档中有 {1} 个 data.pkl 文件'),
  e(
    CHECKPOINT_ERROR,
    /the archive has no data\.pkl: not a torch\.save checkpoint/,
    '归档中没有 data.pkl：不是 torch.save 保存的检查点',
  ),
  e(
    CHECKPOINT_ERROR,
    /the tensors are stored (\S+)-endian; only little-endian checkpoints are read/,
    '张量按 {1}-endian 存储；只能读取 little-endian 的检查点',
  ),
  e(
    CHECKPOINT_ERROR,
    /storage (\S+) is declared twice with different types or sizes/,
    '存储 {1} 被声明了两次，类型或大小不同',
  ),
  e(CHECKPOINT_ERROR, /storage (\S+) is missing from the archive/, '归档中缺少存储 {1}'),
  e(
    CHECKPOINT_ERROR,
    /storage (\S+) declares (\d+) elements \((\d+) bytes\) but holds (\d+) bytes/,
    '存储 {1} 声明有 {2} 个元素（{3} 字节），实际只有 {4} 字节',
  ),
  e(CHECKPOINT_ERROR, /storage (\S+) is shorter than it declares/, '存储 {1} 比声明的短'),
  e(CHECKPOINT_ERROR, /the checkpoint has no 'model' \(its keys: (.*)\)/, "检查点中没有 'model'（它的键：{1}）"),
  e(CHECKPOINT_ERROR, /the checkpoint's content is a (.*), not a model/, '检查点的内容是 {1}，不是模型'),
  e(CHECKPOINT_ERROR, /the checkpoint's '(.*)' is a (.*), not a model/, "检查点的 '{1}' 是 {2}，不是模型"),
  e(CHECKPOINT_ERROR, /modules nest deeper than (\d+) levels \(at (.*)\)/, '模块嵌套超过 {1} 层（位于 {2}）'),
  e(
    CHECKPOINT_ERROR,
    /the model has more than 100,000 modules \(shared submodules repeated\?\)/,
    '模型的模块超过 100,000 个（共享的子模块被重复引用？）',
  ),
  e(CHECKPOINT_ERROR, /the module tree loops back on itself at (.*)/, '模块树在 {1} 处形成了循环'),
  e(CHECKPOINT_ERROR, /(.*) is a (.*), not a tensor/, '{1} 是 {2}，不是张量'),
  e(CHECKPOINT_ERROR, /(.*) is a (.*), not a module/, '{1} 是 {2}，不是模块'),
  e(CHECKPOINT_ERROR, /the model has more than a million tensors/, '模型的张量超过一百万个'),
  e(CHECKPOINT_ERROR, /the model's yaml is a (.*), not a config dict/, '模型的 yaml 是 {1}，不是配置字典'),
  e(
    CHECKPOINT_ERROR,
    /the weights have (\d+) elements; at most (\d+) are read/,
    '权重共有 {1} 个元素；最多只读取 {2} 个',
  ),
  e(
    CHECKPOINT_ERROR,
    /the model's config nests deeper than 32 levels \(at (.*)\)/,
    '模型配置嵌套超过 32 层（位于 {1}）',
  ),
  e(
    CHECKPOINT_ERROR,
    /the model's config has more than 200,000 values \(shared lists repeated\?\)/,
    '模型配置的值超过 200,000 个（共享的列表被重复引用？）',
  ),
  e(
    CHECKPOINT_ERROR,
    /the model's config holds an integer too large for a config \(at (.*)\)/,
    '模型配置中有一个过大的整数（位于 {1}）',
  ),
  e(CHECKPOINT_ERROR, /the model's config has a (.*) key \(at (.*)\)/, '模型配置中有一个 {1} 类型的键（位于 {2}）'),
  e(
    CHECKPOINT_ERROR,
    /the model's config holds a (.*) \(at (.*)\); a config holds only YAML values/,
    '模型配置中有一个 {1}（位于 {2}）；配置中只能有 YAML 值',
  ),
  e(CHECKPOINT_ERROR, /the config nests too deeply to write/, '配置嵌套太深，无法写出'),
  e(
    CHECKPOINT_ERROR,
    /(.*) holds weights but no architecture \(its model has no yaml attribute\)/,
    '{1} 只有权重，没有网络结构（它的模型没有 yaml 属性）',
  ),
  e(
    CHECKPOINT_ERROR,
    /not a zip archive: (\d+) bytes is shorter than its end record/,
    '不是 zip 归档：{1} 字节比它的结尾记录还短',
  ),
  e(
    CHECKPOINT_ERROR,
    /not a zip archive, or a truncated one: no end-of-central-directory record/,
    '不是 zip 归档，或归档不完整：没有中央目录结尾记录',
  ),
  e(CHECKPOINT_ERROR, /multi-part \(spanned\) zip archives are not supported/, '不支持分卷 zip 归档'),
  e(CHECKPOINT_ERROR, /entry (.*) is encrypted/, '条目 {1} 已加密'),
  e(
    CHECKPOINT_ERROR,
    /entry (.*) is compressed \(method (\d+)(?:, deflate)?\); PyTorch writes stored entries and only those are read/,
    '条目 {1} 是压缩的（method {2}）；PyTorch 写入的是未压缩条目，也只能读取这种条目',
  ),
  e(CHECKPOINT_ERROR, /the archive holds (.*) twice/, '归档中 {1} 出现了两次'),
  e(CHECKPOINT_ERROR, /the archive has no entry (.*)/, '归档中没有条目 {1}'),
  e(
    CHECKPOINT_ERROR,
    /the archive claims (\d+) entries; at most (\d+) are read/,
    '归档声称有 {1} 个条目；最多只读取 {2} 个',
  ),
  e(
    CHECKPOINT_ERROR,
    /refusing to call (.*): the pickle asks to run it \(REDUCE\) and only data is rebuilt/,
    '拒绝调用 {1}：pickle 要求执行它（REDUCE），而这里只重建数据',
  ),
  e(
    CHECKPOINT_ERROR,
    /the pickle refers to external data \(persistent id\) and none is available/,
    'pickle 引用了外部数据（persistent id），但没有可用的数据',
  ),
  e(CHECKPOINT_ERROR, /pickle protocol (\d+) is not supported/, '不支持 pickle 协议 {1}'),

  // ---------------------------------------------------------------- messages the app composes around the core's
  e(
    LIBRARY_FILE,
    /(\S+\.ya?ml):(\d+): (.*?)(?: \(and (\d+) more\))?/,
    (g, sub) => `${g[1]}:${g[2]}：${sub('any', g[3])}${opt(g[4], (n) => `（另有 ${n} 个问题）`)}`,
  ),
  e(
    EXPORT_REFUSED,
    /Export for YOLOv5: Fix the model first: (.*?)(?: \(and (\d+) more\))?/,
    (g, sub) => `导出到 YOLOv5：请先修正模型：${sub('any', g[1])}${opt(g[2], (n) => `（另有 ${n} 个问题）`)}`,
  ),

  // ---------------------------------------------------------------- sub-catalogs
  // what a size or residual check is about (graph.ts callers)
  e(WHAT, /a convolution/, '卷积'),
  e(WHAT, /a transposed convolution/, '转置卷积'),
  e(WHAT, /max pooling/, '最大池化'),
  e(WHAT, /upsampling/, '上采样'),
  e(WHAT, /padding/, '填充'),
  e(WHAT, /the residual/, '残差连接'),
  e(WHAT, /the GhostBottleneck shortcut/, 'GhostBottleneck 的捷径分支'),
  e(WHAT, /the position embedding/, '位置编码'),
  e(WHAT, /the group sum/, '分组求和'),
  e(WHAT, /'(.*)'/, "节点 '{1}' "),
  // why an argument's value does not fit (propagate.ts checkArg)
  e(PROBLEM, /must be a whole number/, '必须是整数'),
  e(PROBLEM, /must be a number/, '必须是数字'),
  e(PROBLEM, /must be a whole number or a pair of them/, '必须是整数或一对整数'),
  e(PROBLEM, /must be a whole number or None/, '必须是整数或 None'),
  e(PROBLEM, /must be None, a whole number or a pair of them/, '必须是 None、整数或一对整数'),
  e(PROBLEM, /must be a list of whole numbers/, '必须是整数列表'),
  e(PROBLEM, /must be a whole number or \[left, right, top, bottom\]/, '必须是整数或 [left, right, top, bottom]'),
  e(PROBLEM, /must be a string/, '必须是字符串'),
  e(
    PROBLEM,
    /must be True, False or an activation such as nn\.LeakyReLU\(0\.1\)/,
    '必须是 True、False 或激活函数，例如 nn.LeakyReLU(0.1)',
  ),
  // what a required argument is (modules' argument docs)
  e(ARGDOC, /input channels \(from the layer it reads\)/, '输入通道数（来自它读取的层）'),
  e(ARGDOC, /input channels/, '输入通道数'),
  e(ARGDOC, /output channels \(before the width multiple\)/, '输出通道数（乘宽度倍数之前）'),
  e(ARGDOC, /output channels/, '输出通道数'),
  e(ARGDOC, /channels \(set from the input by parse_model\)/, '通道数（由 parse_model 按输入设置）'),
  e(ARGDOC, /kernel size/, '卷积核尺寸'),
  e(ARGDOC, /padding, or \[left, right, top, bottom\]/, 'padding，或 [left, right, top, bottom]'),
  e(ARGDOC, /add the input \(needs inplanes == planes\)/, '加上输入（要求 inplanes == planes）'),
  e(ARGDOC, /attention heads/, '注意力头数'),
  e(ARGDOC, /transformer layers/, 'transformer 层数'),
  e(ARGDOC, /width/, '宽度'),
  e(ARGDOC, /required/, '必填'),
  // the default library's own checks (a user's check message stays as written)
  e(
    CHECK,
    /(\S+) keeps its channels: its output channels must equal its input channels/,
    '{1} 不改变通道数：输出通道数必须等于输入通道数',
  ),
  // Python evaluation (pyexpr.ts)
  e(PY, /invalid syntax at "(.*)"/, '在 "{1}" 处有语法错误'),
  e(PY, /expression is too long/, '表达式太长'),
  e(PY, /expected a value before "(.*)"/, '"{1}" 之前缺少一个值'),
  e(PY, /expected (.+) before "(.*)"/, '"{2}" 之前应为 {1}'),
  e(PY, /expected a value at the end/, '表达式末尾缺少一个值'),
  e(PY, /expected (.+) at the end/, '表达式末尾应为 {1}'),
  e(PY, /expression is nested too deeply/, '表达式嵌套太深'),
  e(PY, /expected 'else'/, "缺少 'else'"),
  e(PY, /expected a name after "\."/, '"." 之后应为名称'),
  e(PY, /invalid number "(.*)"/, '无效的数字 "{1}"'),
  e(PY, /unexpected "(.*)"/, '意外的 "{1}"'),
  e(PY, /(\w+)\(\) needs a number/, '{1}() 需要一个数字'),
  e(PY, /len\(\) needs a list/, 'len() 需要一个列表'),
  e(PY, /(\w+)\(\) of nothing/, '{1}() 的参数为空'),
  e(PY, /unsupported operand types for (.+)/, '运算符 {1} 不支持这些操作数类型'),
  e(PY, /division by zero/, '除以零'),
  e(PY, /modulo by zero/, '对零取模'),
  e(PY, /unknown operator (.+)/, '未知运算符 {1}'),
  e(PY, /name '(.*)' is not defined/, "名称 '{1}' 未定义"),
  e(PY, /bad operand type for unary -/, '一元负号的操作数类型不对'),
  e(
    PY,
    /module 'torch\.nn' has no attribute '(.*)' known to YOLO Architect/,
    "模块 'torch.nn' 没有 YOLO Architect 认识的属性 '{1}'",
  ),
  e(PY, /nn\.(\w+)\(\) takes at most (\d+) arguments/, 'nn.{1}() 最多接受 {2} 个参数'),
  e(PY, /nn\.(\w+)\(\) got an unexpected keyword argument '(.*)'/, "nn.{1}() 收到了意外的关键字参数 '{2}'"),
  // the YAML parser's messages (the `yaml` package); pretty errors end with where they are
  e(YAML, /(.+) at line (\d+), column (\d+):/, '{1|yaml}（第 {2} 行，第 {3} 列）'),
  e(
    YAML,
    /Flow sequence in block collection must be sufficiently indented and end with a \]/,
    '块集合中的流式序列必须有足够的缩进，并以 ] 结尾',
  ),
  e(
    YAML,
    /Flow map in block collection must be sufficiently indented and end with a \}/,
    '块集合中的流式映射必须有足够的缩进，并以 } 结尾',
  ),
  e(YAML, /Implicit keys of flow sequence pairs need to be on a single line/, '流式序列中键值对的隐式键必须写在一行内'),
  e(YAML, /Nested mappings are not allowed in compact mappings/, '紧凑映射中不能嵌套映射'),
  e(YAML, /Implicit keys need to be on a single line/, '隐式键必须写在一行内'),
  e(YAML, /Implicit map keys need to be followed by map values/, '隐式映射键后面必须跟值'),
  e(YAML, /Missing closing (["'])quote/, '缺少闭合的引号 {1}'),
  e(YAML, /Tabs are not allowed as indentation/, '不能用 Tab 缩进'),
  e(YAML, /Unexpected scalar at node end/, '节点末尾出现了意外的标量'),
  e(YAML, /Unexpected (\S+) token in YAML stream: "(.*)"/, 'YAML 中出现了意外的 {1} 记号："{2}"'),
  e(YAML, /Unexpected (\S+) on same line with key/, '键所在的行出现了意外的 {1}'),
  e(YAML, /Unexpected , in flow sequence/, '流式序列中出现了意外的 ,'),
  e(YAML, /Unexpected , in flow map/, '流式映射中出现了意外的 ,'),
  e(YAML, /Unexpected empty item in flow sequence/, '流式序列中出现了空项'),
  e(YAML, /Unexpected empty item in flow map/, '流式映射中出现了空项'),
  e(YAML, /Missing , or : between flow sequence items/, '流式序列的项之间缺少 , 或 :'),
  e(YAML, /Missing , or : between flow map items/, '流式映射的项之间缺少 , 或 :'),
  e(YAML, /Missing , between flow sequence items/, '流式序列的项之间缺少 ,'),
  e(YAML, /Missing , between flow map items/, '流式映射的项之间缺少 ,'),
  e(YAML, /Map keys must be unique/, '映射的键必须唯一'),
  e(YAML, /Unresolved tag: (.*)/, '无法解析的标签：{1}'),
  e(
    YAML,
    /Unresolved alias \(the anchor must be set before the alias\): (.*)/,
    '无法解析的别名（锚点必须在别名之前定义）：{1}',
  ),
  e(YAML, /All sequence items must start at the same column/, '序列的各项必须从同一列开始'),
  e(YAML, /All mapping items must start at the same column/, '映射的各项必须从同一列开始'),
  e(YAML, /Plain value cannot start with .+ character (\S+)/, '普通值不能以字符 {1} 开头'),
  e(
    YAML,
    /Source contains multiple documents; please use YAML\.parseAllDocuments\(\)/,
    '文件中有多个 YAML 文档；模型配置只能有一个',
  ),
  e(YAML, /Invalid escape sequence (.*)/, '无效的转义序列 {1}'),
  e(YAML, /Block scalar header includes extra characters: (.*)/, '块标量的头部有多余的字符：{1}'),
  e(YAML, /Comments must be separated from other tokens by white space characters/, '注释与其他内容之间必须用空白分隔'),
  e(YAML, /A block sequence may not be used as an implicit map key/, '块序列不能用作隐式映射键'),
  e(YAML, /Sequence item without - indicator/, '序列项缺少 - 标记'),
  e(YAML, /A node can have at most one anchor/, '一个节点最多只能有一个锚点'),
  e(YAML, /A node can have at most one tag/, '一个节点最多只能有一个标签'),
  e(YAML, /Alias cannot be an empty string/, '别名不能为空'),
  e(YAML, /Anchor cannot be an empty string/, '锚点不能为空'),
  e(YAML, /Excessive alias count indicates a resource exhaustion attack/, '别名引用次数过多，疑似资源耗尽攻击'),
];

const BY_CODE = new Map<string, Entry[]>();
const ANY: Entry[] = [];
for (const entry of ENTRIES) {
  for (const c of entry.codes) {
    if (c === '*') ANY.push(entry);
    else BY_CODE.set(c, [...(BY_CODE.get(c) ?? []), entry]);
  }
}
/** Every entry a message without a code may be (sub-catalogs excluded), the loose ones last. */
const PUBLIC = ENTRIES.filter((x) => !x.codes.some((c) => c.startsWith('@'))).sort(
  (a, b) => Number(!!a.loose) - Number(!!b.loose),
);

class Miss extends Error {}

/** Sub-catalogs that must know the text (else the whole entry does not match) and the ones that keep it as it is. */
const STRICT = new Set(['inner', 'any', 'what', 'problem', 'lib', 'where']);
const SUBS: Record<string, string> = {
  py: PY,
  yaml: YAML,
  what: WHAT,
  problem: PROBLEM,
  argdoc: ARGDOC,
  check: CHECK,
  lib: LIB,
  where: WHERE,
};

function fill(entry: Entry, g: string[], code: string | undefined, strict: boolean, hits?: Set<number>): string {
  const sub = (name: string, text: string): string => {
    const subCode = name === 'inner' ? code : name === 'any' ? undefined : SUBS[name];
    if (subCode === undefined && name !== 'any' && name !== 'inner') throw new Error(`no sub-catalog ${name}`);
    const r = lookup(text, subCode, strict, hits);
    if (r !== undefined) return r;
    if (strict || STRICT.has(name)) throw new Miss();
    return text;
  };
  if (typeof entry.zh === 'function') return entry.zh(g, sub);
  return entry.zh.replace(/\{(\d+)(?:\|(\w+))?\}/g, (_m, n: string, name: string | undefined) => {
    const v = g[Number(n)] ?? '';
    return name ? sub(name, v) : v;
  });
}

/** `strict`: every part must be known (a message without a code might be any text, e.g. the app's own). */
function lookup(message: string, code: string | undefined, strict: boolean, hits?: Set<number>): string | undefined {
  const list = code === undefined ? PUBLIC : [...(BY_CODE.get(code) ?? []), ...(code.startsWith('@') ? [] : ANY)];
  for (const entry of list) {
    const m = entry.re.exec(message);
    if (!m) continue;
    const used = hits && new Set<number>();
    try {
      const r = fill(entry, [...m], code, strict, used);
      if (hits && used) for (const k of [ENTRIES.indexOf(entry), ...used]) hits.add(k);
      return r;
    } catch (err) {
      if (!(err instanceof Miss)) throw err;
    }
  }
  return undefined;
}

const cache = new Map<string, string | undefined>();

/**
 * A core message in `lang`. `code` is the diagnostic's code (or EDIT_FAILED, CHECKPOINT_ERROR,
 * LIBRARY_FILE); without one, every catalog entry is tried and every part of the
 * message must be known (it may be any text, such as the app's own toasts). English, and any message
 * the catalog does not know, come back exactly as given.
 */
export function localizeMessage(message: string, code: string | undefined, lang: Lang): string {
  if (lang === 'en') return message;
  const key = `${code ?? ''}\u0000${message}`;
  let r = cache.get(key);
  if (r === undefined && !cache.has(key)) {
    r = lookup(message, code, code === undefined);
    if (cache.size > 5000) cache.clear();
    cache.set(key, r);
  }
  return r ?? message;
}

/** The catalog's entries (their codes and English patterns), for tests that check every one is reached. */
export const catalogEntries = (): readonly { codes: readonly string[]; pattern: string }[] =>
  ENTRIES.map((x) => ({ codes: x.codes, pattern: x.re.source }));

/** Which catalog entries (indices into catalogEntries()) translate a message, sub-catalogs included; empty when none does. */
export function entriesUsed(message: string, code: string | undefined): number[] {
  const hits = new Set<number>();
  return lookup(message, code, code === undefined, hits) === undefined ? [] : [...hits];
}
