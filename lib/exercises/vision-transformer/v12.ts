// Checked exercises of chapter 8, part v12 (see ../vision-transformer.ts).
export {};
