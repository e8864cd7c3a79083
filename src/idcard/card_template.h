#pragma once
// The card's geometry (GA 450-2013: an ID-1 card, ISO/IEC 7810): its size, corners and the places
// of the lines a card is found by, as fractions of its width (x) and height (y). Stages that place,
// fit or warp a card take these from here.
namespace idcard::card_template {

constexpr float kWidthMm = 85.6f, kHeightMm = 54.0f;
constexpr float kCornerRadiusMm = 3.18f;
constexpr float kAspect = kHeightMm / kWidthMm;  // height over width

// A line printed at a known place: where it starts, how wide it is, the height of its centre.
struct LinePlace {
  float left, width, centre_y;
  float right() const { return left + width; }
};

// Front: the number (18 OCR-B digits) starts a third in and spans ~0.57 of the width.
constexpr LinePlace kNumber{0.345f, 0.57f, 0.85f};
// Its centre's height differs by printer and by generator: 0.85 on the specimens measured, 0.81 on
// the project's generated cards. An outline is not chosen for moving it within this much.
constexpr float kNumberRowSlack = 0.04f;
// Beyond the slack, this far off is no card's number: outlines of generated cards keep it within
// the slack (0.016 at most beyond it); an edge taken at its foot or a table's rule at a slant
// put it 0.075 or more off.
constexpr float kNumberRowDrift = 0.035f;
// Front: the rows above the number (their values' centres).
constexpr LinePlace kNameRow{0.175f, 0.425f, 0.16f};
constexpr LinePlace kGenderRow{0.175f, 0.105f, 0.285f};
constexpr LinePlace kBirthRow{0.175f, 0.425f, 0.405f};
// A row read this far from its place (fraction of the height) is not that row: under a row's
// pitch (0.12), above what perspective left in an estimate placed from the number.
constexpr float kRowTolerance = 0.08f;
// Front: the portrait (left, top, right, bottom). No text is printed there.
constexpr float kPortraitLeft = 0.60f, kPortraitTop = 0.07f, kPortraitRight = 0.95f, kPortraitBottom = 0.77f;
// Back: the validity value starts at 0.40 (its width varies: 长期); its text is 0.0365 W tall.
constexpr LinePlace kPeriod{0.40f, 0.0f, 0.875f};
// Back: the title's two lines.
constexpr LinePlace kTitleCountry{0.355f, 0.47f, 0.20f};  // 中华人民共和国
constexpr LinePlace kTitleCard{0.31f, 0.53f, 0.40f};      // 居民身份证

// The canonical card a card is warped to: this wide, a margin around it (fraction of its size)
// so that a placement's error keeps the card's edges in the warp.
constexpr float kWarpWidth = 800.f, kWarpHeight = kWarpWidth * kAspect, kWarpMargin = 0.07f;

// Rows of the front (fractions of the height): the name ends above 0.2, gender and nationality
// share the next row (the nationality from 0.36 of the width), the birth row starts at 0.31, the
// address runs from 0.43 to 0.79, the number below (its centre).
constexpr float kNameRowEnd = 0.2f, kBirthRowStart = 0.31f, kAddrRowsStart = 0.43f, kAddrRowsEnd = 0.79f;
constexpr float kNumberCentreX = kNumber.left + kNumber.width / 2, kNumberRowY = kNumber.centre_y;

}  // namespace idcard::card_template
