/** The model graph as a standalone SVG (for papers), and as PNG through a canvas. */
import { shapeText, thousands, type ModelAnalysis } from '../../src/core/index.ts';
import type { XY } from '../store/editor.ts';
import { categoryColor } from '../../src/core/index.ts';
import { NODE_H, NODE_W, modelEdges, nodeId, shortArgs, INPUT_ID } from './model-graph.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function graphSvg(
  a: ModelAnalysis,
  positions: Record<number, XY>,
  labels: { backbone: string; head: string; image: string } = { backbone: 'backbone', head: 'head', image: 'image' },
): string {
  const placed = a.layers.filter((l) => positions[l.i]);
  if (!placed.length) return '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
  const first = positions[0] ?? positions[placed[0].i];
  const input = { x: first.x + (NODE_W - 170) / 2, y: first.y - 76, w: 170, h: 32 };
  const box = (id: string) => {
    if (id === INPUT_ID) return { x: input.x, y: input.y, w: input.w, h: input.h };
    const p = positions[Number(id.slice(1))];
    return p ? { x: p.x, y: p.y, w: NODE_W, h: NODE_H } : null;
  };
  const xs = placed.map((l) => positions[l.i].x);
  const ys = placed.map((l) => positions[l.i].y);
  const minX = Math.min(...xs, input.x) - 40;
  const minY = Math.min(...ys, input.y) - 40;
  const maxX = Math.max(...xs) + NODE_W + 40;
  const maxY = Math.max(...ys) + NODE_H + 40;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" width="${maxX - minX}" height="${maxY - minY}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect x="${minX}" y="${minY}" width="${maxX - minX}" height="${maxY - minY}" fill="#ffffff"/>`,
  );
  for (const section of ['backbone', 'head'] as const) {
    const m = placed.filter((l) => l.row.section === section);
    if (!m.length) continue;
    const sx = Math.min(...m.map((l) => positions[l.i].x)) - 24;
    const sy = Math.min(...m.map((l) => positions[l.i].y)) - 42;
    const sw = Math.max(...m.map((l) => positions[l.i].x)) + NODE_W + 24 - sx;
    const sh = Math.max(...m.map((l) => positions[l.i].y)) + NODE_H + 24 - sy;
    out.push(
      `<rect x="${sx}" y="${sy}" width="${sw}" height="${sh}" rx="14" fill="${section === 'backbone' ? '#eef2f7' : '#f8efed'}" stroke="#c4ccd6" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${sx + 12}" y="${sy + 18}" font-size="12" font-weight="700" fill="#8592a3">${esc(labels[section].toUpperCase())}</text>`,
    );
  }
  for (const e of modelEdges(a)) {
    const s = box(e.source);
    const t = box(e.target);
    if (!s || !t) continue;
    const x1 = s.x + s.w / 2;
    const y1 = s.y + s.h;
    const x2 = t.x + t.w / 2;
    const y2 = t.y;
    const dy = Math.max(30, Math.abs(y2 - y1) / 2);
    out.push(
      `<path d="M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2}" fill="none" stroke="${e.implicit ? '#a8b3c2' : '#6e7fa0'}" stroke-width="1.2"${e.implicit ? '' : ' stroke-dasharray="5 3"'}/>`,
    );
  }
  out.push(`<rect x="${input.x}" y="${input.y}" width="${input.w}" height="${input.h}" rx="8" fill="#334155"/>`);
  out.push(
    `<text x="${input.x + 10}" y="${input.y + 20}" font-size="12" fill="#fff">${esc(labels.image)}  ${esc(shapeText([a.inputChannels, ...a.imgsz]))}</text>`,
  );
  for (const l of placed) {
    const { x, y } = positions[l.i];
    const c = categoryColor(l.def?.category);
    out.push(`<g id="${nodeId(l.i)}">`);
    out.push(
      `<rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="8" fill="#fff" stroke="${l.ok ? '#dfe3e8' : '#d33a2f'}"/>`,
    );
    out.push(`<rect x="${x}" y="${y}" width="5" height="${NODE_H}" rx="2" fill="${c}"/>`);
    out.push(`<text x="${x + 12}" y="${y + 18}" font-size="11" fill="#6b7685">${l.i}</text>`);
    out.push(
      `<text x="${x + 30}" y="${y + 18}" font-size="13" font-weight="700" fill="${c}">${esc(l.module)}${l.n > 1 ? ` ×${l.n}` : ''}</text>`,
    );
    out.push(
      `<text x="${x + NODE_W - 8}" y="${y + 18}" font-size="11" fill="#6b7685" text-anchor="end">${thousands(l.params)}</text>`,
    );
    out.push(
      `<text x="${x + 12}" y="${y + 38}" font-size="11" fill="#6b7685" font-family="Menlo, Consolas, monospace">${esc(shortArgs(l))}</text>`,
    );
    out.push(
      `<text x="${x + 12}" y="${y + 58}" font-size="12" font-weight="600" fill="#1f2733" font-family="Menlo, Consolas, monospace">${esc(shapeText(l.shape))}</text>`,
    );
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Rasterise an SVG (2x) to a PNG blob. */
export function svgToPng(svg: string, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(img.width * scale);
      canvas.height = Math.ceil(img.height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the SVG could not be drawn'));
    img.src = url;
  });
}
