/**
 * The course map: one chapter per `##` section of the study notes (../shared/seed/course-notes.ko.md),
 * in the notes' order, with the notes' subsections. `observablehq.config.ts` lists only the chapters whose
 * page exists; the home page shows all of them, marked available or coming.
 */

/** One page of the course: a chapter's page, or a sub-page of a chapter that would be too long as one page. */
export interface CoursePage {
  /** Page path, without extension: `src/<slug>.md`. */
  slug: string;
  /** The notes' section title. */
  title: string;
  /** The notes' subsections. */
  sections: string[];
  /** The claims of docs/claims.md the chapter demonstrates. */
  claims: string[];
  /**
   * Claims of this chapter whose experiment is not built yet (the page exists and shows the others). The home page
   * lists them as coming; the kit test expects every other claim on the page, and none of these.
   */
  pending?: string[];
}

export interface Chapter extends CoursePage {
  /**
   * Further pages of this section of the notes (e.g. chapter 8's Swin Transformer), listed right after the chapter
   * in the sidebar and the course map, numbered 8-2, 8-3, …; each shows its own claims.
   */
  subpages?: CoursePage[];
}

export const CHAPTERS: readonly Chapter[] = [
  {
    slug: "filter",
    title: "Filter",
    sections: [
      "Vertical & Horizontal Edge detection",
      "Sobel & Scharr filter",
      "Formula of Convolutions",
      "Padding",
      "Stride",
      "예시 (RGB)"
    ],
    claims: ["F1", "F2", "F3", "F4", "F5"]
  },
  {
    slug: "cnn",
    title: "CNN (Convolutional Neural Network)",
    sections: ["장점 · 단점 · 파라미터", "ConvNet Example", "Layer Type: Convolution, Pooling, Fully Connected"],
    claims: ["C1", "C2", "C3", "C4", "C5", "P1", "P2"]
  },
  {
    slug: "cnn-models",
    title: "CNN Model 비교",
    sections: ["AlexNet", "GoogLeNet", "VGGNet", "ResNet", "1D Convolution"],
    claims: ["M1", "M2", "M3", "M4", "D1"]
  },
  {
    slug: "rnn",
    title: "RNN (Recurrent Neural Network)",
    sections: ["장점 · 단점", "RNN Formula"],
    claims: ["R1", "R2", "R3"]
  },
  {slug: "seq2seq", title: "Seq2Seq", sections: ["Encoder · Decoder", "단점: 병목현상"], claims: ["S1", "S2"]},
  {
    slug: "attention",
    title: "Attention",
    sections: ["Attention process 1–5", "Self-Attention", "Self-Attention Limit"],
    claims: ["A1", "A2", "SA1", "SA2", "SA3", "SA4", "SA5"]
  },
  {slug: "transformer", title: "Transformer", sections: ["Positional Encoding", "Add & Norm"], claims: ["T1", "T2"]},
  {
    slug: "vision-transformer",
    title: "Attention / Transformer for Vision",
    sections: ["다양한 접근법 1–4", "ViT vs ResNets", "ViT의 개선방향"],
    claims: ["V1", "V2", "V3", "V4", "V5"],
    subpages: [
      {
        slug: "swin",
        title: "Swin Transformer",
        sections: ["Patch merging · 계층구조", "Local window attention", "Shifted window"],
        claims: ["V6"]
      }
    ]
  }
];

/** A course page with its number ("8", or "8-2" for a chapter's second page) and its chapter's slug. */
export interface NumberedPage extends CoursePage {
  number: string;
  chapter: string;
}

/** Every page of the course in reading order: each chapter, then its sub-pages. */
export const COURSE_PAGES: readonly NumberedPage[] = CHAPTERS.flatMap(({subpages = [], ...chapter}, i) => [
  {...chapter, number: `${i + 1}`, chapter: chapter.slug},
  ...subpages.map((page, j) => ({...page, number: `${i + 1}-${j + 2}`, chapter: chapter.slug}))
]);

/** The page's name in the sidebar and the course map: "8-2. Swin Transformer". */
export function pageName(page: NumberedPage): string {
  return `${page.number}. ${page.title}`;
}
