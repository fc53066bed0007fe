// Checked exercises of chapter 8, part v3 (see ../vision-transformer.ts).
export {};
