/** Colours with at least 3:1 contrast on white, told apart by more than hue in the table. */
export const PALETTE = ['#0a4a8c', '#c25400', '#0b6b2f', '#7a2ca0', '#a3000b', '#00646e', '#5b4a00', '#44505f'];
