import { css } from 'lit';

/**
 * A list table that becomes one card per row on a phone (≤ 600 px): every cell on its own line with
 * its column's name (`data-label`), so health and lowest stock are seen without scrolling sideways.
 * The header row stays as a wrap of sort buttons. Same table, same rows: only the layout changes.
 */
export const cardTable = css`
  @media (max-width: 600px) {
    .table-wrap.cards { overflow-x: visible; background: none; border: none; }
    .cards table, .cards tbody, .cards tr, .cards td, .cards tbody th { display: block; width: 100%; }
    .cards thead { display: block; }
    .cards thead tr { display: flex; flex-wrap: wrap; gap: 0.25rem; margin-bottom: 0.5rem; }
    .cards thead th { display: block; padding: 0; border: none; background: none; }
    .cards thead th:not([aria-sort]) { display: none; }
    .cards thead th button { border: 1px solid #5b6472 !important; border-radius: 999px; min-height: 44px; padding: 0 0.7rem !important; background: #fff !important; }
    .cards tbody tr { background: #fff; border: 1px solid #5b6472; border-radius: 8px; margin-bottom: 0.5rem; padding: 0.35rem 0.6rem; }
    .cards tbody th { font-size: 1.05rem; padding: 0; border: none; }
    .cards td { display: flex; justify-content: space-between; gap: 0.75rem; padding: 0.2rem 0; border: none; text-align: end; }
    .cards td.num { text-align: end; }
    .cards td::before { content: attr(data-label); font-weight: 600; color: #3d4450; text-align: start; }
  }
`;
