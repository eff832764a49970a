import { css } from 'lit';

/** Styles every screen shares: high contrast for sunlight, 44 px targets, tables that scroll. */
export const shared = css`
  :host { display: block; color: #111; }
  * { box-sizing: border-box; }
  h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
  h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
  h3 { font-size: 1rem; margin: 1rem 0 0.5rem; }
  a { color: #0a4a8c; text-underline-offset: 2px; }
  a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible {
    outline: 3px solid #111; outline-offset: 2px; box-shadow: 0 0 0 5px #ffd400;
  }
  .muted { color: #3d4450; }
  .card { background: #fff; border: 1px solid #c9ced6; border-radius: 8px; padding: 0.9rem 1rem; }
  .grid { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); }
  .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  .table-wrap { position: relative; overflow-x: auto; background: #fff; border: 1px solid #c9ced6; border-radius: 8px; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  caption { text-align: start; font-weight: 600; padding: 0.5rem 0.75rem; }
  th, td { padding: 0.5rem 0.75rem; border-bottom: 1px solid #e1e4e8; text-align: start; vertical-align: middle; }
  th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
  tbody th { background: none; }
  td.num, th.num { text-align: end; white-space: nowrap; }
  tbody tr:last-child td { border-bottom: none; }
  tfoot td { font-weight: 600; border-top: 2px solid #c9ced6; }
  button, .button, select, input {
    font: inherit; min-height: 44px; min-width: 44px; padding: 0.4rem 0.9rem; border-radius: 6px;
    border: 2px solid #0a4a8c; background: #fff; color: #0a4a8c; cursor: pointer;
  }
  input, select { color: #111; border-color: #5b6472; cursor: auto; }
  select { cursor: pointer; }
  button.primary, .button.primary { background: #0a4a8c; color: #fff; }
  button[aria-pressed='true'] { background: #0a4a8c; color: #fff; }
  .button { display: inline-flex; align-items: center; text-decoration: none; }
  label { display: inline-flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; font-weight: 600; }
  .status { padding: 0.75rem 1rem; border-radius: 8px; background: #fff; border: 1px solid #c9ced6; }
  .status.error { border: 2px solid #b3121b; background: #fff5f5; }
  .up { color: #0b6b2f; }
  .down { color: #a3000b; }
  .cell-link { display: inline-flex; align-items: center; min-height: 44px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media print {
    .no-print { display: none !important; }
    .table-wrap, .card { border: none; }
  }
`;
