#include "idcard/find_cards.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <vector>

#include "idcard/anchors.h"
#include "idcard/back_fields.h"
#include "idcard/card_checks.h"
#include "idcard/card_outline.h"
#include "idcard/card_placement.h"
#include "idcard/card_template.h"
#include "idcard/field_text.h"
#include "idcard/front_fields.h"
#include "idcard/id_number.h"
#include "idcard/place_names.h"
#include "idcard/read_back.h"
#include "idcard/read_front.h"
#include "idcard/reading_helpers.h"
#include "idcard/text_lines.h"

namespace idcard {
namespace {

constexpr size_t kStageOneLines = 8;
constexpr size_t kBackSearchBatches = 3;  // bounds the cost of a photo full of other text
constexpr size_t kRetryRounds = 3;        // more batches read when the first anchors led to no card
// Second passes a read may spend (each a detection and a recognition of a card): on a genuine
// card one or two; an image of many number-like or date-like lines stops here.
constexpr int kMaxFrontPasses = 6, kMaxBackPasses = 2;
// Number lines of one group that become candidates (two people's cards, or a card and a form).
constexpr size_t kMaxNumbersPerGroup = 3;

// Two lines printed along the same direction (either way round: a line's 0/180 is a guess).
bool along(const TextLine& a, const TextLine& b) {
  const float d = std::fabs(angle_diff(a.angle_deg, b.angle_deg));
  return d < 15.f || d > 165.f;
}

bool contains_point(const Quad& q, const cv::Point2f& p) {
  std::vector<cv::Point2f> poly;
  for (const auto& c : q) poly.emplace_back(c.x, c.y);
  return cv::pointPolygonTest(poly, p, false) >= 0;
}

// The lines whose centre lies inside `q`.
std::vector<TextLine> lines_within(const std::vector<TextLine>& lines, const Quad& q) {
  std::vector<TextLine> out;
  for (const TextLine& l : lines)
    if (contains_point(q, l.box.center)) out.push_back(l);
  return out;
}

}  // namespace

PictureRead find_cards(const cv::Mat& img, const LineReader& reader) {
  PictureRead view;
  const auto t0 = std::chrono::steady_clock::now();
  auto since = [&t0] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  const ocr::TextMap text_map = reader.text_map(img);
  const auto boxes = reader.boxes_in(text_map);
  spdlog::debug("detect: {} boxes at {:.1f} ms", boxes.size(), since());
  view.boxes = boxes;
  if (boxes.size() < 2) {
    return view;
  }
  std::vector<TextLine> lines = reader.cut_lines(img, boxes, true);
  const SourceImage source{img, text_map, lines};
  // Stage 1 reads the longest lines first, a few at a time, until one is an anchor (the number
  // line, the validity line, the back's title or 签发机关); then the lines around a back anchor.
  // Distracting text in a photo's background costs a batch, not a read of everything.
  std::vector<size_t> order(lines.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto len = [&](size_t i) { return std::max(lines[i].box.size.width, lines[i].box.size.height); };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return len(a) > len(b); });
  std::vector<size_t> anchors;
  for (size_t start = 0; start < order.size() && anchors.empty(); start += kStageOneLines) {
    const std::vector<size_t> batch(
        order.begin() + static_cast<long>(start),
        order.begin() + static_cast<long>(std::min(order.size(), start + kStageOneLines)));
    reader.read(lines, batch, Dictionary::kFast);
    for (size_t i : batch)
      if (is_anchor(lines[i].text)) anchors.push_back(i);
  }
  // Only fronts so far: a back may lie beside them (scans and photos of both sides). Read on
  // among the unread lines outside the fronts, of a card's text size, until a back anchor.
  if (!anchors.empty() &&
      std::none_of(anchors.begin(), anchors.end(), [&](size_t a) { return is_back_anchor(lines[a].text); })) {
    std::vector<Quad> fronts;
    float text_h = 0;
    for (size_t a : anchors) {
      fronts.push_back(front_card_from_number(lines[a].quad()));
      text_h = std::max(text_h, std::min(lines[a].box.size.width, lines[a].box.size.height));
    }
    std::vector<size_t> rest;
    for (size_t i : order) {
      const TextLine& l = lines[i];
      const float h = std::min(l.box.size.width, l.box.size.height);
      if (!l.text.empty() || l.char_step.size() || h < 0.4f * text_h || h > 1.6f * text_h) continue;
      const bool on_front = std::any_of(fronts.begin(), fronts.end(),
                                        [&](const Quad& q) { return contains_point(q, l.box.center); });
      if (!on_front) rest.push_back(i);
    }
    for (size_t start = 0, tries = 0; start < rest.size() && tries < kBackSearchBatches;
         start += kStageOneLines, ++tries) {
      const std::vector<size_t> batch(
          rest.begin() + static_cast<long>(start),
          rest.begin() + static_cast<long>(std::min(rest.size(), start + kStageOneLines)));
      reader.read(lines, batch, Dictionary::kFast);
      bool found = false;
      for (size_t i : batch)
        if (is_back_anchor(lines[i].text)) anchors.push_back(i), found = true;
      if (found) break;
    }
  }
  // Around each back anchor, read what is still unread: the back's few lines are large. A line
  // running across the anchor's direction (text beside a turned card) is not the card's.
  auto near_back_anchor = [&](size_t i) {
    for (size_t a : anchors) {
      const TextLine& al = lines[a];
      if (!is_back_anchor(al.text) || !along(lines[i], al)) continue;
      const float reach = 1.6f * std::max(al.box.size.width, al.box.size.height);
      const cv::Point2f d = lines[i].box.center - al.box.center;
      if (std::hypot(d.x, d.y) < reach) return true;
    }
    return false;
  };
  std::vector<size_t> nearby;
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].text.empty() && lines[i].char_step.empty() && near_back_anchor(i)) nearby.push_back(i);
  reader.read(lines, nearby, Dictionary::kFast);
  // The back's authority read again with the full dictionary (rare place-name characters): the
  // lines of the period's text size close to it, unless the fast reader read one surely as a
  // known bureau; the period, titles and labels read right already.
  std::vector<size_t> back_values;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string t = remove_spaces(lines[i].text);
    if (t.empty() || t == "签发机关" || t == "有效期限" || parse_valid_period(t) ||
        t.find("中华人民共和国") != std::string::npos || t.find("居民身份证") != std::string::npos)
      continue;
    auto known_bureau = [&] {
      static const std::string kLabel = "签发机关";
      return read_surely(lines[i]) &&
             is_known_authority(t.rfind(kLabel, 0) == 0 ? t.substr(kLabel.size()) : t);
    };
    const float h = std::min(lines[i].box.size.width, lines[i].box.size.height);
    for (size_t a = 0; a < lines.size(); ++a) {
      if (!along(lines[i], lines[a]) || !parse_valid_period(remove_spaces(lines[a].text))) continue;
      const float ah = std::min(lines[a].box.size.width, lines[a].box.size.height);
      const float reach = 1.2f * std::max(lines[a].box.size.width, lines[a].box.size.height);
      const cv::Point2f d = lines[i].box.center - lines[a].box.center;
      if (h > 0.6f * ah && h < 1.6f * ah && std::hypot(d.x, d.y) < reach) {
        if (!known_bureau()) back_values.push_back(i);
        break;
      }
    }
  }
  spdlog::debug("stage 1: anchors at {:.1f} ms; {} nearby, {} back values", since(), nearby.size(),
                back_values.size());
  reader.read(lines, back_values, Dictionary::kFull);
  spdlog::debug("stage 1: {} boxes, {} anchors at {:.1f} ms", lines.size(), anchors.size(), since());

  bool back_from_stage_one = false;
  bool back_titled = false;                    // a stage-1 back with its title read inside it
  bool back_outlined = false;                  // the back placed by its outline
  bool front_placed_by_text_only = false;      // no outline, its rows off the template's or no name
  std::optional<BackFields> unconfirmed_back;  // read in stage 1, but the title read lies elsewhere
  // A back read from its period's and bureau's lines holds its title (中华人民共和国 居民身份证)
  // where the title was read at all: a form beside a card prints the period and bureau too.
  enum class Title { kInside, kNone, kElsewhere };
  auto title_of = [&lines](const Quad& card) {
    const Quad around = scaled(card, 1.15f);
    Title title = Title::kNone;
    for (const TextLine& l : lines) {
      if (!is_back_title(l.text)) continue;
      if (contains_point(around, l.box.center)) return Title::kInside;
      title = Title::kElsewhere;
    }
    return title;
  };
  int best_front_score = -1;
  // Fronts: every group with a number line (or a front label or birth row) is a candidate; the likeliest
  // first (its number's checksum holds), and an 18-character number that checks ends the search.
  struct Candidate {
    Quad card;
    std::optional<size_t> number_line;  // in `lines` of the read (spent when it leads to no card)
    bool checks = false;                // its number's checksum holds
    bool rough = false;                 // card placed from other rows: the number was not read whole
  };
  std::vector<Quad> rough_tried;  // cards placed from rows, read once each
  std::vector<Quad> form_areas;   // where a front candidate read as a form's rows
  int second_passes = 0;          // bounded: an image full of number-like text costs a few, no more
  // A whole number that checks, on a card placed by its outline: nothing beats it.
  constexpr int kBestScore = 2 * (18 + 10) + 1;
  auto read_groups = [&] {
    std::vector<Candidate> fronts;
    for (const auto& group : group_by_angle(lines)) {
      std::vector<TextLine> g;
      std::vector<size_t> from;  // g's lines in `lines`
      const float angle = group_angle(lines, group);
      for (size_t i : group) {
        if (lines[i].text.empty()) continue;
        g.push_back(lines[i]);
        from.push_back(i);
        place_in_frame(g.back(), angle);
      }
      if (g.empty()) continue;
      trace_lines(g, angle);
      if (!view.card.back) {
        auto back = assign_back(g);
        // A register beside the card prints a back's rows among its holder's (证件号码…, 出生日期…).
        // (or among the rows of a form already told apart, whose number has been spent).
        if (back && (count_form_labels(lines_within(g, scaled(back->card_quad, 1.1f))) >= 2 ||
                     std::any_of(form_areas.begin(), form_areas.end(), [&](const Quad& f) {
                       return contains_point(f, centre_of(back->card_quad));
                     })))
          back.reset();
        if (back && back->authority.found()) {
          const Title title = title_of(back->card_quad);
          // A titled back whose period no card prints (2029.02.06-2029.02.06: its 1 read 2 at stage
          // 1's resolution) is read again from the card rectified about its title; this read stays
          // the fallback.
          const bool card_period = !back->valid_date.found() || valid_span_ok(back->valid_date.text, false) ||
                                   valid_span_ok(back->valid_date.text, true);
          // So is one whose bureau names none known (营口市公安图分局: 局鲅鱼 lost between two boxes).
          const bool known_bureau = is_known_authority(back->authority.text);
          if (title != Title::kElsewhere && ((card_period && known_bureau) || title != Title::kInside))
            view.card.back = std::move(back), back_from_stage_one = true,
            back_titled = title == Title::kInside;
          else if (!unconfirmed_back)
            unconfirmed_back = std::move(back);
        }
      }
      // Each number line of the group (a form's table beside a card, both turned alike, prints
      // one too), a few at most: the longest first.
      std::vector<Quad> numbered;
      const std::vector<IdLineSpan> spans = find_id_lines(g);
      for (size_t k = 0; k < std::min(spans.size(), kMaxNumbersPerGroup); ++k) {
        const IdLineSpan& span = spans[k];
        const IdReading coarse = read_id(g[span.line], span);
        numbered.push_back(assign_front(g, span, coarse).card_quad);
        fronts.push_back({numbered.back(), from[span.line], id_checksum_ok(coarse.text), false});
      }
      // A card whose number was not read whole (or a number beside it was): placed from its rows.
      if (auto card = front_card_from_rows(g)) {
        const bool tried = std::any_of(rough_tried.begin(), rough_tried.end(), [&](const Quad& q) {
          return std::hypot(q[0].x - (*card)[0].x, q[0].y - (*card)[0].y) < 2.f;
        });
        const bool on_numbered = std::any_of(numbered.begin(), numbered.end(), [&](const Quad& q) {
          return contains_point(q, centre_of(*card));
        });
        if (!tried && !on_numbered) {
          rough_tried.push_back(*card);
          fronts.push_back({scaled(*card, kRoughCardScale), std::nullopt, false, true});
        }
      }
    }
    // Likeliest: the number's checksum holds, then the most detected boxes inside the card its
    // line implies (a card has rows of text above its number; a number on a receipt has few).
    std::vector<std::pair<int, int>> rank;
    for (const Candidate& c : fronts) {
      int inside = 0;
      for (const auto& l : lines) inside += contains_point(c.card, l.box.center);
      rank.emplace_back(c.checks * 2 + !c.rough, inside);
    }
    std::vector<size_t> by_rank(fronts.size());
    for (size_t k = 0; k < by_rank.size(); ++k) by_rank[k] = k;
    std::stable_sort(by_rank.begin(), by_rank.end(), [&](size_t a, size_t b) { return rank[a] > rank[b]; });
    for (size_t k : by_rank) {
      const Candidate& c = fronts[k];
      if (best_front_score >= kBestScore || second_passes++ >= kMaxFrontPasses) break;
      FrontRead read =
          read_front(reader, source, c.card, c.rough ? FrontPlacement::kRough : FrontPlacement::kFromNumber);
      std::optional<FrontFields>& front = read.fields;
      const IdReading& id = read.id;
      const int labels = read.labels;
      spdlog::debug("stage 2 at {:.1f} ms", since());
      // A long digit run alone is not a card (receipts, bank cards): the rows above must read
      // as a card's, two of them at least (the front's labels count as one).
      // A birth date counts when a checked number does not contradict it.
      const bool birth = front && front->birth.found() &&
                         (!id_checksum_ok(id.text) || id_birth_date(id.text) == front->birth.text);
      // A number that checks, names a province and a birth date, inside a card's outline, is a
      // card too when glare or blur hides its rows: it counts as two.
      const bool plausible_number =
          id_checksum_ok(id.text) && id_province_ok(id.text) && id_birth_date(id.text).has_value();
      const int card_rows = front ? (front->gender.text == "男" || front->gender.text == "女") + birth +
                                        is_known_nationality(front->nationality.text) +
                                        id_checksum_ok(id.text) + (plausible_number && read.outlined) +
                                        (labels >= 3)
                                  : 0;
      spdlog::debug("front candidate: {} of its rows read as a card's, {} labels, {} a form's", card_rows,
                    labels, read.form_labels);
      // A form's rows (a label and a colon, a label no card prints): two of them and the number
      // is the form's, whatever else reads like a card.
      if (read.form_labels >= 2) form_areas.push_back(scaled(c.card, 1.2f));
      if (card_rows < 2 || read.form_labels >= 2) {
        if (c.number_line)
          lines[*c.number_line].text.clear();  // leads to no card (printed beside it): not tried again
        continue;
      }
      // The longest number that checks; between equals, a card whose outline shows (a form
      // beside the card prints a number and labels too, on no card).
      const int score =
          2 * (static_cast<int>(id.text.size()) + (id_checksum_ok(id.text) ? 10 : 0)) + read.outlined;
      if (score > best_front_score) {
        best_front_score = score;
        view.card.front = std::move(front);
        // (or with no name read: a form's rows land in a card's bands as often as not)
        front_placed_by_text_only = !read.outlined && (!read.rows_in_place || !view.card.front->name.found());
        view.card.checks.id_corrected = id.corrected;
      }
    }
  };
  read_groups();
  // Nothing yet, but other lines unread: the anchors found were text beside the card (numbers
  // on a receipt, dates). Read on, a batch at a time, and try again (bounded).
  for (size_t round = 0, next = 0; round < kRetryRounds && !view.card.front && !view.card.back; ++round) {
    std::vector<size_t> batch;
    for (; next < order.size() && batch.size() < kStageOneLines; ++next)
      if (lines[order[next]].text.empty() && lines[order[next]].char_step.empty())
        batch.push_back(order[next]);
    reader.read(lines, batch, Dictionary::kFast);
    const bool fresh =
        std::any_of(batch.begin(), batch.end(), [&](size_t i) { return is_anchor(lines[i].text); });
    const bool left =
        std::any_of(lines.begin(), lines.end(), [](const TextLine& l) { return is_anchor(l.text); });
    if (!fresh && !left && batch.empty()) break;
    if (fresh || left) read_groups();
  }
  // A back seen (its title read) but not read: once more, rectified from the title.
  std::optional<BackFields> hidden_back;  // its title and outline only, both values covered
  if (!view.card.back) {
    int tries = 0;
    for (const auto& group : group_by_angle(lines)) {
      if (tries >= kMaxBackPasses) break;
      std::vector<TextLine> g;
      for (size_t i : group)
        if (!lines[i].text.empty()) g.push_back(lines[i]);
      if (g.empty()) continue;
      const float angle = group_angle(lines, group);
      for (auto& l : g) place_in_frame(l, angle);
      if (auto card = back_card_from_title(g)) {
        ++tries;
        BackRead back = read_back(reader, source, card->card, card->printed_at);
        spdlog::debug("back stage 2 at {:.1f} ms", since());
        if (back.fields && back.fields->values_hidden()) {
          if (!hidden_back) hidden_back = std::move(back.fields);
          continue;  // another group may read a back's values
        }
        view.card.back = std::move(back.fields);
        back_outlined = back.outlined;
        if (view.card.back) break;
      }
    }
  }
  // The back read from beside the title wins over one without it, unless it is the same card
  // (the same bureau) read less well (its period lost in the second read).
  if (unconfirmed_back) {
    const bool same_card =
        view.card.back && view.card.back->authority.text == unconfirmed_back->authority.text;
    if (!view.card.back || (same_card && !view.card.back->valid_date.found()))
      // (its title was read, beside it: a back is in the picture)
      view.card.back = std::move(unconfirmed_back), back_from_stage_one = true, back_titled = true;
  }
  // A back with nothing legible but its title is answered only when the picture shows no other
  // card (a front is never answered as a back; a back read elsewhere says more).
  if (!view.card.front && !view.card.back && hidden_back)
    view.card.back = std::move(hidden_back), back_outlined = true;
  spdlog::debug("fields at {:.1f} ms", since());
  for (const TextLine& l : lines)
    if (is_anchor(l.text)) view.anchor_boxes.push_back(l.box);
  if (!view.card.front && !view.card.back) {
    return view;
  }
  // A back read in stage 1 was placed from its period's start: its corners from its outline
  // where the edges show (exact, perspective included).
  if (view.card.back && back_from_stage_one) {
    using card_template::kPeriod, card_template::kTitleCard, card_template::kTitleCountry;
    std::vector<Point> printed_at{{kPeriod.left, kPeriod.centre_y}};
    // Its title read inside it places it better than the period does (whose card width is a guess
    // from the text's height): a line of known length, both its ends.
    if (back_titled) {
      std::vector<TextLine> titles;
      const Quad around = scaled(view.card.back->card_quad, 1.15f);
      for (const TextLine& l : lines)
        if (is_back_title(l.text) && contains_point(around, l.box.center)) titles.push_back(l);
      if (auto by_title = back_card_from_title(titles)) {
        view.card.back->card_quad = by_title->card;
        printed_at = {{kTitleCountry.left, kTitleCountry.centre_y},
                      {kTitleCountry.right(), kTitleCountry.centre_y},
                      {kTitleCard.left, kTitleCard.centre_y},
                      {kTitleCard.right(), kTitleCard.centre_y}};
      }
    }
    if (auto q = fit_card_outline(img, view.card.back->card_quad, printed_at))
      view.card.back->card_quad = *q, back_outlined = true;
    // A bureau read at stage 1's resolution that names none known (营口市公安图分局: 局鲅鱼 lost
    // between two boxes) on a card its outline places exactly: read once more, rectified; that
    // read wins where it names a known bureau beside the same period.
    if (back_outlined && !is_known_authority(view.card.back->authority.text)) {
      BackRead again = read_back(reader, source, view.card.back->card_quad);
      spdlog::debug("back read again rectified at {:.1f} ms", since());
      if (again.fields && is_known_authority(again.fields->authority.text) &&
          again.fields->valid_date.text == view.card.back->valid_date.text) {
        const Quad outline = view.card.back->card_quad;  // fitted held by the period, as placed
        view.card.back = std::move(again.fields);
        view.card.back->card_quad = outline;
      }
    }
    // Neither its title read inside it nor a card's outline about it: perhaps a form's period
    // and bureau lines (forms print 签发机关 and 有效期限 too) rather than a card.
    if (!back_titled && !back_outlined) {
      // A form prints a front's rows with them (姓名…, 性别…, 住址…): a card's back never holds one.
      const Quad around = scaled(view.card.back->card_quad, 1.1f);
      const int front_rows =
          static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const TextLine& l) {
            const auto chars = utf8_chars(remove_spaces(l.text));
            const bool labelled = label_end(chars, "姓名") || label_end(chars, "性别") ||
                                  label_end(chars, "出生") || label_end(chars, "住址");
            return labelled && contains_point(around, l.box.center);
          }));
      if (front_rows < 2) view.weak_back = std::move(view.card.back);
      view.card.back.reset();
    }
  }
  // A temporary card's title (临时居民身份证) read on the back found here (stage 1 read it; the
  // second look's read sets it itself): its period runs three months.
  if (view.card.back && !view.card.back->temporary) {
    const Quad around = scaled(view.card.back->card_quad, 1.15f);
    view.card.back->temporary = std::any_of(lines.begin(), lines.end(), [&around](const TextLine& l) {
      return temporary_title(remove_spaces(l.text)) && contains_point(around, l.box.center);
    });
  }
  // A front found only in text, its rows not where a card prints them or no name read, beside a back found by
  // its outline or its title read inside it: a form's lines (a form beside a back prints a number and labels
  // too).
  if (view.card.front && view.card.back && front_placed_by_text_only && (back_outlined || back_titled))
    view.card.front.reset();
  return view;
}

}  // namespace idcard
