import { describe, expect, it } from 'vitest';
import { calls, PyCheckError, statements, tokenize } from './pycheck.ts';

const stmts = (src: string) => statements(src).map((s) => `${s.depth}:${s.text}`);
const callees = (src: string) => calls(src).map((c) => c.callee);

describe('the Python checker', () => {
  it('ends a comment at \\n, \\r\\n and a bare \\r: what follows a \\r is a statement', () => {
    expect(stmts('# a comment\nx = 1\n')).toEqual(['0:x = 1']);
    expect(stmts('# a comment\r\nx = 1\r\n')).toEqual(['0:x = 1']);
    expect(stmts("# a comment\r__import__('os').system('id')\n")).toEqual(["0:__import__ ( 'os' ) . system ( 'id' )"]);
    expect(callees("# a\r__import__('os').system('id')\n")).toEqual(['__import__', '__import__(...).system']);
  });

  it('keeps everything inside string literals, triple quotes and escapes included', () => {
    expect(stmts(`x = 'a # b'\ny = "it's \\" # c"\nz = '''one\nimport os\n'''\n`)).toEqual([
      "0:x = 'a # b'",
      `0:y = "it's \\" # c"`,
      "0:z = '''one\nimport os\n'''",
    ]);
    expect(callees(`s = 'f(x)'\nt = rb"g(y)"\n`)).toEqual([]);
  });

  it('refuses an unterminated string, a raw line break in a one-line string, and stray characters', () => {
    expect(() => tokenize("x = 'abc\n")).toThrow(PyCheckError);
    expect(() => tokenize("x = 'abc\rdef'\n")).toThrow(/unterminated/);
    expect(() => tokenize('x = 1\u2028\n')).toThrow(/U\+2028/);
    expect(() => tokenize('x = 1 \x0b\n')).toThrow(/U\+000B/);
    expect(() => tokenize('x = (1,\n')).toThrow(/brackets/);
  });

  it('joins physical lines: a backslash at the end, or an open bracket', () => {
    expect(stmts('x = 1 + \\\n    2\ny = f(1,\n  2)\n')).toEqual(['0:x = 1 + 2', '0:y = f ( 1 , 2 )']);
    expect(() => tokenize('x = 1 \\ 2\n')).toThrow(/continuation/);
  });

  it('knows blocks by indentation, and splits compound headers and semicolons', () => {
    expect(stmts('class A(nn.Module):\n    def f(self):\n        if x: y = g(1); z = 2\n        return y\n')).toEqual([
      '0:class A ( nn . Module ) :',
      '1:def f ( self ) :',
      '2:if x :',
      '3:y = g ( 1 )',
      '3:z = 2',
      '2:return y',
    ]);
    expect(() => tokenize('if x:\n        a = 1\n    b = 2\n')).toThrow(/unindent/);
  });

  it('lists calls with what they call, inside f-string fields too', () => {
    expect(
      callees(
        "super().__init__()\nself.m = nn.Sequential(*(Conv(c, c) for _ in range(n)))\ny = getattr(self, f'cv{int(i)}')(x)\nz = self.convs[i](x).clone()\n",
      ),
    ).toEqual([
      'super',
      'super(...).__init__',
      'nn.Sequential',
      'Conv',
      'range',
      'getattr',
      'int',
      'getattr(...)',
      'self.convs[...]',
      'self.convs[...](...).clone',
    ]);
    expect(callees('if (a): x = [b for b in (c)]\n')).toEqual([]);
    expect(callees('class A(B):\n    def f(self):\n        pass\n')).toEqual([]);
  });
});
