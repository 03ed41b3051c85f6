/**
 * Icons as inline SVG: they draw the same everywhere, also in a Chromium without emoji fonts (where ⛔ and
 * ⚠ are empty boxes). Each takes the text's colour (currentColor) and size (1em).
 */
const base = { width: '1em', height: '1em', viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;

export function ErrorIcon({ className }: { className?: string }) {
  return (
    <svg {...base} className={`icon${className ? ` ${className}` : ''}`}>
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <rect x="4" y="7" width="8" height="2" rx="1" fill="#fff" />
    </svg>
  );
}

export function WarningIcon({ className }: { className?: string }) {
  return (
    <svg {...base} className={`icon${className ? ` ${className}` : ''}`}>
      <path d="M8 1.2 15.2 14.3H.8Z" fill="currentColor" strokeLinejoin="round" />
      <rect x="7.1" y="5.4" width="1.8" height="5" rx=".9" fill="#fff" />
      <circle cx="8" cy="12.1" r="1" fill="#fff" />
    </svg>
  );
}

export function InfoIcon({ className }: { className?: string }) {
  return (
    <svg {...base} className={`icon${className ? ` ${className}` : ''}`}>
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <rect x="7.1" y="7" width="1.8" height="5" rx=".9" fill="#fff" />
      <circle cx="8" cy="4.6" r="1" fill="#fff" />
    </svg>
  );
}

export const SeverityIcon = ({ severity }: { severity: 'error' | 'warning' | 'info' }) =>
  severity === 'error' ? <ErrorIcon /> : severity === 'warning' ? <WarningIcon /> : <InfoIcon />;
