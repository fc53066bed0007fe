// Checked exercises of chapter 8, part v45 (see ../vision-transformer.ts).
export {};
