/**
 * The course's one vocabulary: one term per concept, used across pages, charts and buttons. The 용어집 page
 * (src/glossary.md) is generated from this list, and the tests check the pages against it:
 * - every entry's first explanation carries `id="term-<id>"` in its chapter (a `<dfn>` is the usual element);
 * - no page, chart or button shows one of an entry's `avoid` variants (`findAvoidedTerms`), outside code.
 *
 * Decisions: Korean prose keeps the English technical terms the notes keep (edge, padding, stride, pooling,
 * feature map, loss, epoch…); where the notes write Korean (층, 필터, 파라미터, 정확도) the course writes Korean.
 */

export interface GlossaryEntry {
  /** Stable id: the anchor is `term-<id>` in the chapter that first explains it. */
  id: string;
  /** The one term the course writes. */
  term: string;
  /** English name. */
  en: string;
  /** Korean reading or common Korean alternative, for the glossary page only. */
  ko?: string;
  /** Slug of the course page that first explains it (a chapter or a sub-page, `COURSE_PAGES` of lib/chapters.ts). */
  chapter: string;
  /** One-line definition, in Korean. */
  definition: string;
  /**
   * Variants the course does not write for this concept (regular-expression sources, matched outside code).
   * An English word in parentheses right after the term, as a gloss ("층 (layer)"), is allowed.
   */
  avoid?: string[];
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  // chapter 1 「Filter」
  {
    id: "filter",
    term: "필터",
    en: "filter",
    chapter: "filter",
    definition: "입력의 모든 채널에 걸친 가중치 묶음. 입력 위를 미끄러지며 출력 채널 하나를 만든다."
  },
  {
    id: "kernel",
    term: "커널",
    en: "kernel",
    chapter: "filter",
    definition: "필터가 한 채널에 곱하는 작은 가중치 행렬 (예: 3×3 Sobel 커널)."
  },
  {
    id: "edge",
    term: "edge",
    en: "edge",
    ko: "경계",
    chapter: "filter",
    definition: "밝기가 급하게 바뀌는 곳. 세로 edge는 좌우로, 가로 edge는 위아래로 밝기가 바뀐다.",
    avoid: ["에지", "엣지"]
  },
  {
    id: "gradient",
    term: "gradient",
    en: "gradient",
    ko: "기울기",
    chapter: "filter",
    definition: "함수가 가장 빨리 커지는 방향과 크기. 이미지에서는 (Gx, Gy), 학습에서는 loss의 파라미터에 대한 미분.",
    avoid: ["그래디언트", "그레이디언트"]
  },
  {
    id: "convolution",
    term: "convolution",
    en: "convolution",
    ko: "합성곱",
    chapter: "filter",
    definition:
      "필터를 입력 위에서 옮기며 겹친 값끼리 곱해 더하는 연산. 딥러닝 라이브러리는 커널을 뒤집지 않는 cross-correlation으로 계산한다.",
    avoid: ["콘볼루션", "컨볼루션", "컨벌루션"]
  },
  {
    id: "channel",
    term: "채널",
    en: "channel",
    chapter: "filter",
    definition: "한 위치에 쌓인 값의 축. RGB 이미지는 3채널, conv 층의 출력은 필터 수만큼의 채널."
  },
  {
    id: "padding",
    term: "padding",
    en: "padding",
    chapter: "filter",
    definition: "입력 둘레에 값(보통 0)을 p칸 덧대는 것. 가장자리 픽셀도 필터의 가운데에 올 수 있게 한다.",
    avoid: ["패딩"]
  },
  {
    id: "stride",
    term: "stride",
    en: "stride",
    ko: "보폭",
    chapter: "filter",
    definition: "필터가 한 번에 옮겨 가는 칸 수 s. s < f이면 이웃한 창이 겹친다.",
    avoid: ["스트라이드"]
  },
  {
    id: "feature-map",
    term: "feature map",
    en: "feature map",
    ko: "특징 맵",
    chapter: "filter",
    definition: "필터 하나를 입력 전체에 적용한 출력 (출력의 한 채널).",
    avoid: ["특징 ?맵", "특성 ?맵", "피처 ?맵"]
  },
  // chapter 2 「CNN」
  {
    id: "layer",
    term: "층",
    en: "layer",
    chapter: "cnn",
    definition: "입력을 받아 출력을 내는 신경망의 한 단계 (conv 층, pooling 층, FC 층…).",
    avoid: ["레이어", "\\b[Ll]ayers?\\b"]
  },
  {
    id: "parameter",
    term: "파라미터",
    en: "parameter",
    chapter: "cnn",
    definition: "학습으로 정해지는 값 (가중치와 bias).",
    avoid: ["매개변수"]
  },
  {
    id: "weight",
    term: "가중치",
    en: "weight",
    chapter: "cnn",
    definition: "입력에 곱해지는 파라미터. conv 층에서는 필터의 값."
  },
  {
    id: "bias",
    term: "bias",
    en: "bias",
    ko: "편향",
    chapter: "cnn",
    definition: "가중치 곱의 합에 더해지는 파라미터. 필터(또는 출력 뉴런)마다 하나.",
    avoid: ["편향"]
  },
  {
    id: "parameter-sharing",
    term: "parameter sharing",
    en: "parameter sharing",
    ko: "파라미터 공유",
    chapter: "cnn",
    definition: "같은 필터를 모든 위치에서 다시 쓰는 것. conv 층의 파라미터 수는 입력 크기와 무관하다."
  },
  {
    id: "fully-connected",
    term: "FC 층",
    en: "fully connected (dense) layer",
    chapter: "cnn",
    definition: "모든 입력이 모든 출력에 연결된 층 (TF.js의 dense).",
    avoid: ["완전 ?연결 ?층", "밀집 ?층"]
  },
  {
    id: "mlp",
    term: "MLP",
    en: "multilayer perceptron",
    ko: "다층 퍼셉트론",
    chapter: "cnn",
    definition: "FC 층만 쌓은 신경망. 입력 픽셀의 위치 관계를 구조로 갖지 않는다."
  },
  {
    id: "pooling",
    term: "pooling",
    en: "pooling",
    chapter: "cnn",
    definition: "작은 창 안의 값을 하나로 줄이는 층 (max pooling은 최댓값, average pooling은 평균).",
    avoid: ["풀링"]
  },
  {
    id: "activation",
    term: "활성화 함수",
    en: "activation function",
    chapter: "cnn",
    definition: "층의 출력에 적용하는 비선형 함수 (ReLU, tanh, sigmoid…)."
  },
  {
    id: "softmax",
    term: "softmax",
    en: "softmax",
    chapter: "cnn",
    definition: "점수(logit) 벡터를 합이 1인 확률로 바꾸는 함수: exp(z_i) / Σ exp(z_j).",
    avoid: ["소프트맥스"]
  },
  {
    id: "cross-entropy",
    term: "cross-entropy",
    en: "cross-entropy",
    ko: "교차 엔트로피",
    chapter: "cnn",
    definition: "정답 클래스에 준 확률 p의 −log p. 분류 모델의 loss.",
    avoid: ["교차 ?엔트로피", "크로스 ?엔트로피"]
  },
  {
    id: "loss",
    term: "loss",
    en: "loss",
    ko: "손실",
    chapter: "cnn",
    definition: "모델의 출력이 정답에서 얼마나 먼지를 재는 값. 학습은 이것을 줄인다.",
    avoid: ["손실"]
  },
  {
    id: "accuracy",
    term: "정확도",
    en: "accuracy",
    chapter: "cnn",
    definition: "맞게 분류한 예의 비율.",
    avoid: ["\\b[Aa]ccuracy\\b"]
  },
  {
    id: "epoch",
    term: "epoch",
    en: "epoch",
    chapter: "cnn",
    definition: "학습 데이터 전체를 한 번 다 보는 것.",
    avoid: ["에폭", "에포크"]
  },
  {
    id: "batch",
    term: "batch",
    en: "(mini-)batch",
    ko: "배치",
    chapter: "cnn",
    definition: "한 번의 학습 단계에 함께 쓰는 예들의 묶음.",
    avoid: ["미니배치", "배치 ?크기"]
  },
  {
    id: "learning-rate",
    term: "학습률",
    en: "learning rate",
    chapter: "cnn",
    definition: "gradient 방향으로 한 단계에 얼마나 움직일지 정하는 값.",
    avoid: ["\\b[Ll]earning rate\\b"]
  },
  {
    id: "translation-invariance",
    term: "위치 불변성",
    en: "translation invariance",
    chapter: "cnn",
    definition: "입력이 조금 옮겨져도 같은 답을 내는 성질."
  },
  {
    id: "flops",
    term: "FLOPs",
    en: "floating-point operations",
    chapter: "cnn",
    definition: "부동소수점 연산 수. 곱셈-덧셈 한 쌍(MAC)은 2 FLOPs로 센다."
  },
  {
    id: "mac",
    term: "MAC",
    en: "multiply-accumulate",
    ko: "곱셈-누산",
    chapter: "cnn",
    definition: "곱하고 더하는 연산 한 번. 층의 계산량을 세는 단위."
  },
  // chapter 3 「CNN Model 비교」
  {
    id: "receptive-field",
    term: "receptive field",
    en: "receptive field",
    ko: "수용 영역",
    chapter: "cnn-models",
    definition: "출력의 한 값이 보는 입력의 영역.",
    avoid: ["수용 ?영역", "수용장"]
  },
  {
    id: "batch-norm",
    term: "BatchNorm",
    en: "batch normalization",
    ko: "배치 정규화",
    chapter: "cnn-models",
    definition: "batch의 평균과 분산으로 채널마다 정규화한 뒤 학습한 크기(γ)와 이동(β)을 곱하고 더하는 층.",
    avoid: ["배치 ?정규화"]
  },
  {
    id: "inception",
    term: "Inception module",
    en: "Inception module",
    chapter: "cnn-models",
    definition: "여러 크기의 필터를 나란히 적용하고 출력을 채널 방향으로 이어 붙이는 GoogLeNet의 블록."
  },
  {
    id: "gap",
    term: "global average pooling",
    en: "global average pooling (GAP)",
    chapter: "cnn-models",
    definition: "feature map 하나를 평균 하나로 줄이는 pooling. flatten + FC 층보다 파라미터가 적다."
  },
  {
    id: "residual",
    term: "shortcut",
    en: "shortcut (residual) connection",
    ko: "잔차 연결",
    chapter: "cnn-models",
    definition: "블록의 입력을 출력에 그대로 더하는 연결: 블록은 나머지 F(x) = H(x) − x만 배운다."
  },
  {
    id: "vanishing-gradient",
    term: "vanishing gradient",
    en: "vanishing gradient",
    ko: "기울기 소실",
    chapter: "cnn-models",
    definition: "깊은 네트워크에서 입력 쪽 층의 gradient가 0에 가까워져 학습이 멈추는 현상.",
    avoid: ["기울기 ?소실"]
  },
  {
    id: "dilation",
    term: "dilation",
    en: "dilation",
    chapter: "cnn-models",
    definition: "필터의 칸 사이를 d−1칸씩 띄워, 파라미터를 늘리지 않고 receptive field를 넓히는 것.",
    avoid: ["팽창"]
  },
  {
    id: "time-series",
    term: "시계열",
    en: "time series",
    chapter: "cnn-models",
    definition: "시간 순서로 잰 값의 열 (예: 월별 CO₂ 농도)."
  },
  // chapter 4 「RNN」
  {
    id: "sequence",
    term: "시퀀스",
    en: "sequence",
    ko: "순차 데이터",
    chapter: "rnn",
    definition: "순서가 있는 값의 열. 길이가 입력마다 다를 수 있다 (시계열, 문장).",
    avoid: ["순차 ?데이터"]
  },
  {
    id: "rnn",
    term: "RNN",
    en: "recurrent neural network",
    ko: "순환 신경망",
    chapter: "rnn",
    definition: "시퀀스를 한 time step씩 읽으며, 같은 가중치로 은닉 상태를 갱신하는 신경망."
  },
  {
    id: "time-step",
    term: "time step",
    en: "time step",
    ko: "시점",
    chapter: "rnn",
    definition: "시퀀스의 한 위치 t. RNN은 time step마다 입력 x_t 하나를 읽는다.",
    avoid: ["타임 ?스텝", "\\btimesteps?\\b"]
  },
  {
    id: "hidden-state",
    term: "은닉 상태",
    en: "hidden state",
    chapter: "rnn",
    definition: "RNN이 지금까지 읽은 입력을 요약해 다음 time step으로 넘기는 벡터 h_t.",
    avoid: ["히든 ?스테이트", "은닉 ?벡터"]
  },
  {
    id: "unroll",
    term: "unroll",
    en: "unroll (unfold in time)",
    ko: "펼치기",
    chapter: "rnn",
    definition: "RNN의 반복을 time step마다 한 칸씩 옆으로 펼쳐 그린 것. 칸마다 같은 가중치를 쓴다."
  },
  {
    id: "long-term-dependency",
    term: "장기 의존성",
    en: "long-term dependency",
    chapter: "rnn",
    definition: "멀리 떨어진 time step의 입력이 지금의 출력을 정하는 관계.",
    avoid: ["장기의존성"]
  },
  {
    id: "gate",
    term: "게이트",
    en: "gate",
    chapter: "rnn",
    definition: "sigmoid로 0…1 사이의 값을 만들어, 정보를 얼마나 통과시킬지 원소마다 정하는 곱셈 스위치."
  },
  {
    id: "lstm",
    term: "LSTM",
    en: "long short-term memory",
    chapter: "rnn",
    definition:
      "forget · input · output 게이트와 cell state로 정보를 오래 보존하는 RNN 셀 (Hochreiter & Schmidhuber 1997)."
  },
  {
    id: "cell-state",
    term: "cell state",
    en: "cell state",
    ko: "셀 상태",
    chapter: "rnn",
    definition: "LSTM이 은닉 상태와 따로 두는 기억 c_t. 게이트의 곱과 덧셈으로만 갱신된다.",
    avoid: ["셀 ?상태"]
  },
  {
    id: "gru",
    term: "GRU",
    en: "gated recurrent unit",
    chapter: "rnn",
    definition: "update · reset 게이트 두 개로 LSTM을 줄인 RNN 셀 (Cho et al. 2014). cell state가 없다."
  },
  {
    id: "forecast",
    term: "예측",
    en: "forecast",
    chapter: "rnn",
    definition: "시계열의 지난 값(창)으로 다음 값을 내다보는 것."
  },
  // chapter 5 「Seq2Seq」
  {
    id: "seq2seq",
    term: "Seq2Seq",
    en: "sequence to sequence",
    chapter: "seq2seq",
    definition: "encoder와 decoder, 두 RNN으로 한 시퀀스를 길이와 순서가 다른 다른 시퀀스로 바꾸는 모델."
  },
  {
    id: "token",
    term: "토큰",
    en: "token",
    chapter: "seq2seq",
    definition: "모델이 한 time step에 읽거나 내는 단위 (단어, 숫자 한 자리, 문장부호). 정수 번호로 바뀌어 들어간다."
  },
  {
    id: "embedding",
    term: "embedding",
    en: "embedding",
    ko: "임베딩",
    chapter: "seq2seq",
    definition: "토큰 번호마다 학습되는 벡터 하나. 번호를 RNN이 읽을 수 있는 실수 벡터로 바꾼다.",
    avoid: ["임베딩"]
  },
  {
    id: "encoder",
    term: "encoder",
    en: "encoder",
    ko: "인코더",
    chapter: "seq2seq",
    definition: "입력 시퀀스를 읽어 은닉 상태들과 마지막 context vector를 만드는 부분.",
    avoid: ["인코더"]
  },
  {
    id: "decoder",
    term: "decoder",
    en: "decoder",
    ko: "디코더",
    chapter: "seq2seq",
    definition: "context vector에서 시작해 출력 시퀀스를 한 토큰씩 만드는 부분.",
    avoid: ["디코더"]
  },
  {
    id: "context-vector",
    term: "context vector",
    en: "context vector",
    ko: "문맥 벡터",
    chapter: "seq2seq",
    definition: "encoder가 입력 전체를 압축한 고정 크기 벡터 (LSTM에서는 마지막 은닉 상태와 cell state).",
    avoid: ["문맥 ?벡터", "컨텍스트 ?벡터"]
  },
  {
    id: "teacher-forcing",
    term: "teacher forcing",
    en: "teacher forcing",
    ko: "교사 강요",
    chapter: "seq2seq",
    definition: "학습 때 decoder에 자기 예측 대신 정답의 이전 토큰을 입력으로 주는 방법.",
    avoid: ["교사 ?강요"]
  },
  {
    id: "greedy-decoding",
    term: "greedy decoding",
    en: "greedy decoding",
    ko: "탐욕 디코딩",
    chapter: "seq2seq",
    definition: "decoder가 time step마다 확률이 가장 높은 토큰 하나를 골라 다음 입력으로 쓰는 추론 방법.",
    avoid: ["탐욕 ?디코딩", "탐욕적 ?디코딩"]
  },
  {
    id: "sequence-accuracy",
    term: "시퀀스 정확도",
    en: "sequence (exact-match) accuracy",
    chapter: "seq2seq",
    definition: "출력 시퀀스 전체가 정답과 토큰 하나 틀림없이 같은 예의 비율. 토큰 정확도보다 엄격하다.",
    avoid: ["문장 ?정확도", "완전 ?일치율"]
  },
  {
    id: "bottleneck",
    term: "병목현상",
    en: "bottleneck",
    chapter: "seq2seq",
    definition: "입력 전체를 고정 크기 context vector 하나로 압축하느라, 긴 입력에서 정보가 사라지는 현상.",
    avoid: ["병목 현상", "보틀넥"]
  },
  // chapter 6 「Attention」 (first half)
  {
    id: "attention",
    term: "attention",
    en: "attention",
    ko: "어텐션",
    chapter: "attention",
    definition: "decoder가 time step마다 encoder의 모든 은닉 상태를 보고, 지금 집중할 곳에 가중치를 주어 섞는 방법.",
    avoid: ["어텐션", "주의 ?메커니즘"]
  },
  {
    id: "attention-score",
    term: "attention score",
    en: "attention score",
    ko: "어텐션 점수",
    chapter: "attention",
    definition: "decoder 은닉 상태와 encoder 은닉 상태 하나의 유사도 (Luong: 내적). softmax 전의 값.",
    avoid: ["어텐션 ?스코어", "어텐션 ?점수"]
  },
  {
    id: "attention-weights",
    term: "attention 가중치",
    en: "attention weights",
    chapter: "attention",
    definition: "attention score에 softmax를 적용한 확률분포. 합이 1이고, 입력 위치마다 얼마나 집중할지 나타낸다.",
    avoid: ["어텐션 ?가중치"]
  },
  {
    id: "attention-output",
    term: "attention output",
    en: "attention output (context)",
    chapter: "attention",
    definition: "attention 가중치로 encoder 은닉 상태들을 가중합한 벡터. time step마다 새로 만든다.",
    avoid: ["어텐션 ?출력"]
  },
  // chapter 6 「Attention」 (second half: self-attention)
  {
    id: "self-attention",
    term: "self-attention",
    en: "self-attention",
    ko: "셀프 어텐션",
    chapter: "attention",
    definition: "한 시퀀스의 모든 토큰이 query가 되어 같은 시퀀스의 모든 토큰(key, value)을 보는 attention.",
    avoid: ["셀프 ?어텐션", "자기 ?주의"]
  },
  {
    id: "query",
    term: "query",
    en: "query",
    ko: "쿼리",
    chapter: "attention",
    definition: 'attention에서 "무엇을 찾는가"를 나타내는 벡터. self-attention에서는 토큰 벡터에 W^Q를 곱해 만든다.',
    avoid: ["쿼리"]
  },
  {
    id: "key",
    term: "key",
    en: "key",
    chapter: "attention",
    definition: "query와 내적해 attention score를 내는 벡터. self-attention에서는 토큰 벡터에 W^K를 곱해 만든다.",
    avoid: ["키 ?벡터"]
  },
  {
    id: "value",
    term: "value",
    en: "value",
    ko: "밸류",
    chapter: "attention",
    definition: "attention 가중치로 섞이는 벡터. self-attention에서는 토큰 벡터에 W^V를 곱해 만든다.",
    avoid: ["밸류"]
  },
  {
    id: "positional-encoding",
    term: "positional encoding",
    en: "positional encoding",
    ko: "위치 인코딩",
    chapter: "attention",
    definition:
      "토큰 벡터에 더하는 위치마다 다른 벡터. 순서를 모르는 self-attention에 순서를 알려 준다 (노트: position embedding; 학습하는 것도 있다).",
    avoid: ["위치 ?인코딩", "포지셔널 ?인코딩"]
  },
  {
    id: "feed-forward",
    term: "feed-forward network",
    en: "position-wise feed-forward network",
    ko: "피드포워드 네트워크",
    chapter: "attention",
    definition: "attention 뒤에 토큰마다 따로 적용하는 두 층의 MLP (ReLU 포함). attention에 없는 비선형성을 더한다.",
    avoid: ["피드 ?포워드", "순방향 ?신경망"]
  },
  {
    id: "causal-mask",
    term: "causal mask",
    en: "causal (look-ahead) mask",
    ko: "마스킹",
    chapter: "attention",
    definition:
      "위치 t의 query가 t 뒤의 key를 보지 못하게 그 score를 −∞로 바꾸는 마스크. softmax 뒤 그 가중치는 0이다.",
    avoid: ["인과 ?마스크", "룩어헤드 ?마스크"]
  },
  // chapter 7 「Transformer」
  {
    id: "transformer",
    term: "Transformer",
    en: "Transformer",
    ko: "트랜스포머",
    chapter: "transformer",
    definition: "RNN 없이 attention과 feed-forward 층만 쌓은 encoder–decoder 모델 (Vaswani et al. 2017).",
    avoid: ["트랜스포머"]
  },
  {
    id: "multi-head-attention",
    term: "multi-head attention",
    en: "multi-head attention",
    ko: "멀티헤드 어텐션",
    chapter: "transformer",
    definition: "d차원을 h개의 head로 나누어 각자 attention을 계산하고, 결과를 이어 붙여 선형변환하는 층.",
    avoid: ["멀티 ?헤드 ?어텐션", "다중 ?헤드"]
  },
  {
    id: "layer-norm",
    term: "LayerNorm",
    en: "layer normalization",
    ko: "층 정규화",
    chapter: "transformer",
    definition:
      "한 위치의 벡터를 그 원소들의 평균과 분산으로 정규화한 뒤 γ를 곱하고 β를 더하는 것. batch에 의존하지 않는다.",
    avoid: ["층 ?정규화", "계층 ?정규화", "레이어 ?정규화"]
  },
  {
    id: "add-norm",
    term: "Add & Norm",
    en: "residual connection and layer normalization",
    chapter: "transformer",
    definition: "하위 층의 출력에 입력을 더하고(shortcut) LayerNorm을 적용하는 것: LayerNorm(x + Sublayer(x))."
  },
  {
    id: "pre-norm",
    term: "pre-norm",
    en: "pre-norm (pre-LN)",
    chapter: "transformer",
    definition: "LayerNorm을 하위 층 앞에 두는 배치: x + Sublayer(LayerNorm(x)). 논문의 배치(post-norm)는 뒤에 둔다."
  },
  // chapter 8 「Attention / Transformer for Vision」
  {
    id: "non-local-block",
    term: "non-local block",
    en: "non-local block",
    ko: "비지역 블록",
    chapter: "vision-transformer",
    definition:
      "CNN의 feature map 중간에 넣는 self-attention 블록 (Wang et al. 2018): 각 위치가 feature map의 모든 위치를 참고한다.",
    avoid: ["비지역 블록", "논로컬 블록"]
  },
  {
    id: "local-attention",
    term: "local attention",
    en: "local self-attention",
    ko: "지역 어텐션",
    chapter: "vision-transformer",
    definition:
      "각 픽셀이 query가 되어 k×k 이웃만 key·value로 보는 self-attention (Ramachandran et al. 2019). convolution 대신 쓴다.",
    avoid: ["지역 어텐션", "로컬 어텐션"]
  },
  {
    id: "vit",
    term: "ViT",
    en: "Vision Transformer",
    ko: "비전 트랜스포머",
    chapter: "vision-transformer",
    definition: "이미지를 patch로 잘라 토큰으로 만들고 Transformer encoder에 넣는 분류 모델 (Dosovitskiy et al. 2021).",
    avoid: ["비전 트랜스포머"]
  },
  {
    id: "patch",
    term: "patch",
    en: "patch",
    ko: "패치",
    chapter: "vision-transformer",
    definition: "이미지를 겹치지 않게 자른 P×P 조각. ViT는 patch 하나를 토큰 하나로 쓴다.",
    avoid: ["패치"]
  },
  {
    id: "patch-embedding",
    term: "patch embedding",
    en: "patch embedding",
    chapter: "vision-transformer",
    definition: "patch의 픽셀을 펼쳐 D차원 벡터로 바꾸는 선형 변환. kernel과 stride가 patch 크기인 convolution과 같다.",
    avoid: ["패치 임베딩"]
  },
  {
    id: "class-token",
    term: "class token",
    en: "class token ([CLS])",
    ko: "클래스 토큰",
    chapter: "vision-transformer",
    definition:
      "patch 토큰 앞에 붙이는 학습되는 토큰. 마지막 층에서 이 토큰의 출력만 분류 head로 간다 (노트의 classification token).",
    avoid: ["클래스 토큰", "분류 토큰"]
  },
  {
    id: "position-embedding",
    term: "position embedding",
    en: "learned position embedding",
    ko: "위치 임베딩",
    chapter: "vision-transformer",
    definition:
      "토큰 위치마다 하나씩 학습되는 벡터를 토큰에 더한다. 7장의 positional encoding(고정된 sin/cos)과 달리 학습된다.",
    avoid: ["위치 임베딩"]
  },
  {
    id: "inductive-bias",
    term: "inductive bias",
    en: "inductive bias",
    ko: "유도적 편향",
    chapter: "vision-transformer",
    definition:
      "데이터를 보기 전에 모델 구조가 정해 둔 가정. CNN은 '가까운 픽셀끼리 관계가 있다'와 translation invariance를 구조로 가진다.",
    avoid: ["유도적 편향", "귀납적 편향"]
  },
  {
    id: "augmentation",
    term: "augmentation",
    en: "data augmentation",
    ko: "데이터 증강",
    chapter: "vision-transformer",
    definition: "학습 이미지를 이동·뒤집기 등으로 조금씩 바꿔 매번 다른 예제처럼 쓰는 것. 레이블은 그대로 둔다.",
    avoid: ["데이터 증강", "증강"]
  },
  {
    id: "regularization",
    term: "regularization",
    en: "regularization",
    ko: "규제",
    chapter: "vision-transformer",
    definition:
      "학습 데이터에만 맞춰지는 것(과적합)을 막는 장치: dropout, label smoothing, stochastic depth, weight decay 등.",
    avoid: ["규제화"]
  },
  {
    id: "distillation",
    term: "distillation",
    en: "knowledge distillation",
    ko: "지식 증류",
    chapter: "vision-transformer",
    definition:
      "학습된 teacher 모델의 출력을 student 모델의 정답처럼 함께 배우게 하는 것. DeiT는 이를 위한 distillation 토큰을 둔다.",
    avoid: ["지식 증류", "증류"]
  },
  // chapter 8, second page 「Swin Transformer」
  {
    id: "window-attention",
    term: "window attention",
    en: "window-based multi-head self-attention (W-MSA)",
    ko: "윈도우 어텐션",
    chapter: "swin",
    definition:
      "feature map을 M×M patch 크기의 겹치지 않는 window로 나누고 각 window 안에서만 계산하는 self-attention (Liu et al. 2021).",
    avoid: ["윈도우 어텐션"]
  },
  {
    id: "shifted-window",
    term: "shifted window",
    en: "shifted window (SW-MSA)",
    ko: "이동 윈도우",
    chapter: "swin",
    definition:
      "window를 ⌊M/2⌋ patch만큼 옮겨 나누는 방식. 한 블록 걸러 쓰면 이웃 window끼리 정보를 주고받는다. cyclic shift와 mask로 계산한다.",
    avoid: ["이동 윈도우", "시프트 윈도우"]
  },
  {
    id: "patch-merging",
    term: "patch merging",
    en: "patch merging",
    ko: "패치 병합",
    chapter: "swin",
    definition:
      "이웃한 2×2 patch의 특징(4C 채널)을 이어 붙이고 선형 변환으로 2C로 줄이는 층: 해상도는 반, 채널은 두 배가 된다. Swin의 계층 구조를 만든다.",
    avoid: ["패치 병합"]
  },
  {
    id: "relative-position-bias",
    term: "relative position bias",
    en: "relative position bias",
    ko: "상대 위치 편향",
    chapter: "swin",
    definition:
      "window 안 두 patch의 상대 위치(Δ행, Δ열)마다 학습되는 값을 attention score에 더한다. (2M−1)² 칸의 표를 head마다 둔다.",
    avoid: ["상대 위치 편향"]
  }
];

/** Labels of the controls every chapter shares (experiment panels, live cells): one word per action. */
export const UI_LABELS = {
  start: "▶ 시작",
  pause: "❚❚ 일시정지",
  resume: "▶ 계속",
  stop: "■ 정지",
  run: "▶ 실행",
  reset: "↺ 원래 코드",
  check: "확인",
  solution: "풀이 보기"
} as const;

export interface AvoidedTerm {
  id: string;
  term: string;
  found: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The avoided variants that `text` contains (prose, outside code). An English gloss in parentheses right after
 * the term ("층 (layer)") is not counted.
 */
export function findAvoidedTerms(text: string, entries: readonly GlossaryEntry[] = GLOSSARY): AvoidedTerm[] {
  const found: AvoidedTerm[] = [];
  for (const e of entries) {
    if (!e.avoid?.length) continue;
    const gloss = new RegExp(`${escapeRegExp(e.term)}\\s*\\(${escapeRegExp(e.en)}s?\\)`, "gi");
    const cleaned = text.replace(gloss, e.term);
    for (const source of e.avoid) {
      const m = cleaned.match(new RegExp(source, "u"));
      if (m) found.push({id: e.id, term: e.term, found: m[0]});
    }
  }
  return found;
}

/** The anchor a chapter gives the term's first explanation. */
export const termAnchor = (id: string): string => `term-${id}`;
