#include "idcard/place_names.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "idcard/field_text.h"

namespace idcard {
namespace {

using Chars = std::vector<std::string>;

struct Division {
  std::string code, province, city, county;
  Chars province_chars, city_chars, county_chars;
  bool printed_city = true;  // false where the city level is a placeholder, never printed
};

class Lexicon {
 public:
  Lexicon() {
    const std::string_view csv = divisions_csv();
    size_t at = csv.find('\n') + 1;  // past the header
    while (at < csv.size()) {
      size_t end = csv.find('\n', at);
      if (end == std::string_view::npos) end = csv.size();
      const std::string_view row = csv.substr(at, end - at);
      at = end + 1;
      std::vector<std::string> cols;
      for (size_t from = 0;;) {
        const size_t comma = row.find(',', from);
        cols.emplace_back(
            row.substr(from, comma == std::string_view::npos ? std::string_view::npos : comma - from));
        if (comma == std::string_view::npos) break;
        from = comma + 1;
      }
      if (cols.size() != 4 || cols[3].empty()) continue;
      Division d{
          cols[0], cols[1], cols[2], cols[3], utf8_chars(cols[1]), utf8_chars(cols[2]), utf8_chars(cols[3])};
      d.printed_city = d.city != "县" &&
                       d.city.find("直辖") == std::string::npos;  // 市辖区: printed on some (contest) cards
      rows.push_back(std::move(d));
    }
    // county_code,name per line
    const std::string streets = gunzip(streets_csv_gz());
    for (size_t line = 0; line < streets.size();) {
      size_t end = streets.find('\n', line);
      if (end == std::string::npos) end = streets.size();
      const size_t comma = streets.find(',', line);
      if (comma < end)
        towns[streets.substr(line, comma - line)].push_back(
            utf8_chars(streets.substr(comma + 1, end - comma - 1)));
      line = end + 1;
    }
  }
  std::vector<Division> rows;
  std::unordered_map<std::string, std::vector<Chars>> towns;  // by county code: 镇, 乡, 街道, 苏木

 private:
  static std::string gunzip(std::string_view gz) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib init failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    zs.avail_in = static_cast<uInt>(gz.size());
    std::string out;
    char buf[1 << 16];
    int rc = Z_OK;
    while (rc == Z_OK) {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof(buf);
      rc = inflate(&zs, Z_NO_FLUSH);
      out.append(buf, sizeof(buf) - zs.avail_out);
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("embedded town list is corrupt");
    return out;
  }
};

const Lexicon& lexicon() {
  static const Lexicon lex;  // immutable once built; built on first use
  return lex;
}

// How well `name` reads at `pos`: characters as read or replaced by one of the recognizer's
// alternatives (their probability product says how likely): one replacement in a name of up to
// four characters, two in a longer one, never all of them. A name of four characters or more may
// also replace one character the reader did not consider, where something else says which name it
// is (`Unseen`): a `kHinted` name is the division the number's region code names (a blurred 自
// read 0, 彝 read 韩: the number and the rest of the name both say which division it is); with
// `kUnsure` the replaced character must have been read unsure (a district of the city already
// read, whose one unsure character the reader saw nothing like: 临翔 read 临期).
struct Fit {
  int subs = 0;
  double alt_prob = 1;
};
constexpr double kUnconsidered = 1e-3;  // an unconsidered replacement's probability: below any alternative
enum class Unseen { kNever, kHinted, kUnsure };

std::optional<Fit> fit_at(const ReadText& t, size_t pos, const Chars& name,
                          Unseen unseen_ok = Unseen::kNever) {
  if (name.empty() || pos + name.size() > t.chars.size()) return std::nullopt;
  Fit fit;
  int unseen = 0;
  for (size_t j = 0; j < name.size(); ++j) {
    if (t.chars[pos + j] == name[j]) continue;
    const auto& alts = t.alts[pos + j];
    const auto alt =
        std::find_if(alts.begin(), alts.end(), [&](const ocr::CharChoice& c) { return c.text == name[j]; });
    if (alt == alts.end()) {
      const bool allowed = unseen_ok == Unseen::kHinted || (unseen_ok == Unseen::kUnsure && !alts.empty());
      if (!allowed || ++unseen > 1 || name.size() < 4) return std::nullopt;
      ++fit.subs;
      fit.alt_prob *= kUnconsidered;
      continue;
    }
    ++fit.subs;
    fit.alt_prob *= alt->prob;
  }
  const int most = name.size() > 4 ? 2 : 1;
  if (fit.subs > most || static_cast<size_t>(fit.subs) >= name.size()) return std::nullopt;
  return fit;
}

// The one name among candidates that fits best at pos: fewest replacements, then likeliest
// replacements, then longest, then the hint; nullptr when none fits or two tie. `unsure`: every
// candidate may replace one unsure character the reader did not consider (fit_at's kUnsure).
const Chars* best_fit(const ReadText& t, size_t pos, const std::vector<const Chars*>& candidates,
                      const Chars* hint, bool unsure = false) {
  const Chars* best = nullptr;
  Fit best_fit;
  bool tied = false;
  for (const Chars* c : candidates) {
    const Unseen unseen = hint && *c == *hint ? Unseen::kHinted : unsure ? Unseen::kUnsure : Unseen::kNever;
    const auto fit = fit_at(t, pos, *c, unseen);
    if (!fit || (best && *c == *best)) continue;
    if (best) {
      const auto key = [](const Fit& f, const Chars& n) {
        return std::make_tuple(-f.subs, f.alt_prob, n.size());
      };
      const auto a = key(*fit, *c), b = key(best_fit, *best);
      if (a < b) continue;
      if (!(b < a)) {  // equal: the hint decides, else nobody
        if (hint && *c == *hint)
          best = c, tied = false;
        else if (!(hint && *best == *hint))
          tied = true;
        continue;
      }
    }
    best = c, best_fit = *fit, tied = false;
  }
  return tied ? nullptr : best;
}

void apply(ReadText& t, size_t pos, const Chars& name) {
  for (size_t j = 0; j < name.size(); ++j) {
    t.chars[pos + j] = name[j];
    t.alts[pos + j].clear();
  }
}

template <typename Pred, typename Get>
std::vector<const Chars*> names_where(Pred pred, Get get) {
  std::vector<const Chars*> out;
  for (const Division& d : lexicon().rows)
    if (pred(d)) out.push_back(&get(d));
  return out;
}

// `read`'s alternatives lined up with `text`, whose characters are `read`'s with some dropped.
ReadText align(std::string_view text, const ReadText& read) {
  ReadText t;
  t.chars = utf8_chars(text);
  t.alts.assign(t.chars.size(), {});
  if (read.alts.size() != read.chars.size()) return t;
  for (size_t i = 0, j = 0; i < read.chars.size() && j < t.chars.size(); ++i)
    if (read.chars[i] == t.chars[j]) t.alts[j++] = read.alts[i];
  return t;
}

std::string join(const Chars& chars) {
  std::string s;
  for (const auto& c : chars) s += c;
  return s;
}

// Province, city and county from pos on, each among the children of the one before; returns
// the division the walk ended in (its levels set as far as it got).
struct Walk {
  const Division* province = nullptr;  // any row of the matched province
  const Division* city = nullptr;      // any row of the matched city
  const Division* county = nullptr;
  size_t pos = 0;
};

Walk walk_divisions(ReadText& t, size_t pos, const Division* hint, bool need_province) {
  Walk w;
  w.pos = pos;
  auto find_row = [](auto pred) -> const Division* {
    for (const Division& d : lexicon().rows)
      if (pred(d)) return &d;
    return nullptr;
  };
  {
    const auto names = names_where([](const Division&) { return true; },
                                   [](const Division& d) -> const Chars& { return d.province_chars; });
    if (const Chars* p = best_fit(t, w.pos, names, hint ? &hint->province_chars : nullptr)) {
      apply(t, w.pos, *p);
      w.pos += p->size();
      w.province = find_row([&](const Division& d) { return d.province_chars == *p; });
    }
  }
  if (!w.province && need_province) return w;
  const std::string* prov = w.province ? &w.province->province : nullptr;
  {
    const auto names =
        names_where([&](const Division& d) { return d.printed_city && (!prov || d.province == *prov); },
                    [](const Division& d) -> const Chars& { return d.city_chars; });
    if (const Chars* c = best_fit(t, w.pos, names, hint ? &hint->city_chars : nullptr)) {
      apply(t, w.pos, *c);
      w.pos += c->size();
      w.city =
          find_row([&](const Division& d) { return d.city_chars == *c && (!prov || d.province == *prov); });
    }
  }
  const std::string* city = w.city ? &w.city->city : nullptr;
  {
    const auto names = names_where(
        [&](const Division& d) { return (!prov || d.province == *prov) && (!city || d.city == *city); },
        [](const Division& d) -> const Chars& { return d.county_chars; });
    if (const Chars* c = best_fit(t, w.pos, names, hint ? &hint->county_chars : nullptr)) {
      apply(t, w.pos, *c);
      w.pos += c->size();
      w.county = find_row([&](const Division& d) {
        return d.county_chars == *c && (!prov || d.province == *prov) && (!city || d.city == *city);
      });
    }
  }
  return w;
}

}  // namespace

void load_place_names() { lexicon(); }

namespace {

// Words addresses print after their place names: the kinds of village, estate, building and
// dwelling every city has. Real words of the language, not names of places.
const std::vector<Chars>& address_words() {
  static const std::vector<Chars> words = [] {
    std::vector<Chars> out;
    for (const char* w : {"社区", "小区",   "花园",   "嘉园", "家园", "公寓",   "宿舍",   "大厦", "广场",
                          "新村", "村委会", "居委会", "单元", "号楼", "号院",   "大街",   "街道", "胡同",
                          "嘎查", "苏木",   "农场",   "林场", "牧场", "工业园", "开发区", "新区", "山庄",
                          "别墅", "雅苑",   "名苑",   "华庭", "公馆", "大道",   "公园"})
      out.push_back(utf8_chars(w));
    return out;
  }();
  return words;
}

// What the reader considered at least this likely counts as considered for the words below.
constexpr float kConsidered = 0.01f;

// Whether the reader considered `ch` where it read `alts`' character.
bool considered(const CharAlternatives& alts, const std::string& ch) {
  return std::any_of(alts.begin(), alts.end(),
                     [&](const ocr::CharChoice& c) { return c.text == ch && c.prob >= kConsidered; });
}

// A number's unit (6组, 12号, 3栋, 1203室, 2门, 5单元, 4幢, 8层) read as another character put back
// where the reader considered it (6绍 -> 6组).
void snap_number_units(ReadText& t, size_t from) {
  static const Chars kUnits = utf8_chars("组号栋室楼门单幢层");
  auto is_digit = [](const std::string& c) { return c.size() == 1 && c[0] >= '0' && c[0] <= '9'; };
  for (size_t i = std::max<size_t>(from, 1); i < t.chars.size(); ++i) {
    if (!is_digit(t.chars[i - 1]) || is_digit(t.chars[i]) ||
        std::find(kUnits.begin(), kUnits.end(), t.chars[i]) != kUnits.end())
      continue;
    for (const ocr::CharChoice& c : t.alts[i])  // the likeliest unit considered
      if (c.prob >= kConsidered && std::find(kUnits.begin(), kUnits.end(), c.text) != kUnits.end()) {
        if (i + 1 < t.chars.size() && t.chars[i + 1] == c.text) {
          // A stroke of the unit read apart before it (1/门 of 1门): one glyph, not two units.
          t.chars.erase(t.chars.begin() + static_cast<long>(i));
          t.alts.erase(t.alts.begin() + static_cast<long>(i));
        } else {
          apply(t, i, {c.text});
        }
        break;
      }
  }
}

// 自 prints in addresses in 自治 (区, 州, 县, 旗) and hardly elsewhere; 白 begins many a village and
// street (白沙, 白辉): a blurred 白 reads 自.
void snap_white(ReadText& t, size_t from) {
  for (size_t i = from; i < t.chars.size(); ++i)
    if (t.chars[i] == "自" && (i + 1 == t.chars.size() || t.chars[i + 1] != "治") &&
        considered(t.alts[i], "白"))
      apply(t, i, {"白"});
}

// One unsure character of an address word put back from `from` on: where the reading differs
// from a word in one character that the reader considered, and the reading there is no word
// itself (公离 -> 公寓, 吸查 -> 嘎查).
void snap_address_words(ReadText& t, size_t from) {
  const auto& words = address_words();
  auto is_word_at = [&](size_t i) {
    for (const Chars& w : words)
      if (i + w.size() <= t.chars.size() &&
          std::equal(w.begin(), w.end(), t.chars.begin() + static_cast<long>(i)))
        return true;
    return false;
  };
  for (size_t i = from; i < t.chars.size(); ++i) {
    if (is_word_at(i)) continue;
    for (const Chars& w : words) {
      if (i + w.size() > t.chars.size()) continue;
      size_t off = w.size();
      int misses = 0;
      for (size_t j = 0; j < w.size(); ++j)
        if (t.chars[i + j] != w[j]) ++misses, off = j;
      if (misses != 1 || !considered(t.alts[i + off], w[off])) continue;
      apply(t, i, w);
      break;
    }
  }
}

}  // namespace

namespace {

bool starts_at(const Chars& text, size_t pos, const Chars& name) {
  return !name.empty() && pos + name.size() <= text.size() &&
         std::equal(name.begin(), name.end(), text.begin() + static_cast<long>(pos));
}

// An address that starts with the tail of a province's name (西省运城市: 山 washed out by glare and
// not read) followed exactly by one of that province's cities (or a municipality's districts) gets
// the lost characters back, where exactly one province fits so; otherwise it stays as read.
void restore_province_start(ReadText& t) {
  std::vector<std::pair<const Division*, size_t>> fits;  // the province's row, characters lost
  for (const Division& d : lexicon().rows) {
    const Chars& p = d.province_chars;
    for (size_t lost = 1; lost + 2 <= p.size() && lost <= 2; ++lost) {
      const Chars tail(p.begin() + static_cast<long>(lost), p.end());
      if (!starts_at(t.chars, 0, tail)) continue;
      const bool city = d.printed_city && starts_at(t.chars, tail.size(), d.city_chars);
      if (!city && !starts_at(t.chars, tail.size(), d.county_chars)) continue;  // a municipality's district
      const bool known = std::any_of(fits.begin(), fits.end(), [&](const auto& f) {
        return f.first->province_chars == p && f.second == lost;
      });
      if (!known) fits.emplace_back(&d, lost);
    }
  }
  if (fits.size() != 1) return;
  const Chars& p = fits[0].first->province_chars;
  t.chars.insert(t.chars.begin(), p.begin(), p.begin() + static_cast<long>(fits[0].second));
  t.alts.insert(t.alts.begin(), fits[0].second, CharAlternatives{});
}

// The same for a city's name after its province (河南省市龙安区: 安阳 washed out): its suffix or
// last characters, then exactly one of its counties, name one city of the province.
void restore_city(ReadText& t, size_t pos, const std::string& province) {
  std::vector<std::pair<const Division*, size_t>> fits;  // the city's row, characters lost
  for (const Division& d : lexicon().rows) {
    if (d.province != province || !d.printed_city || d.county_chars.size() < 2) continue;
    const Chars& c = d.city_chars;
    for (size_t lost = 1; lost < c.size() && lost <= 2; ++lost) {
      if (!starts_at(t.chars, pos, Chars(c.begin() + static_cast<long>(lost), c.end())) ||
          !starts_at(t.chars, pos + c.size() - lost, d.county_chars))
        continue;
      const bool known = std::any_of(fits.begin(), fits.end(), [&](const auto& f) {
        return f.first->city_chars == c && f.second == lost;
      });
      if (!known) fits.emplace_back(&d, lost);
    }
  }
  if (fits.size() != 1) return;
  const Chars& c = fits[0].first->city_chars;
  t.chars.insert(t.chars.begin() + static_cast<long>(pos), c.begin(),
                 c.begin() + static_cast<long>(fits[0].second));
  t.alts.insert(t.alts.begin() + static_cast<long>(pos), fits[0].second, CharAlternatives{});
}

}  // namespace

std::string snap_address(std::string_view text, const ReadText& read, std::string_view region_code) {
  ReadText t = align(text, read);
  {
    ReadText plain = t;  // exact names only: a province read with a wrong character is not lost
    plain.alts.assign(plain.chars.size(), {});
    const Walk exact = walk_divisions(plain, 0, nullptr, /*need_province=*/true);
    if (!exact.province)
      restore_province_start(t);
    else if (!exact.city && !exact.county)
      restore_city(t, exact.pos, exact.province->province);
  }
  const Division* hint = nullptr;
  if (region_code.size() == 6)
    for (const Division& d : lexicon().rows)
      if (d.code == region_code) hint = &d;
  const Walk w = walk_divisions(t, 0, hint, /*need_province=*/true);
  // The town (镇, 乡, 街道) among the county's.
  if (w.county) {
    const auto towns = lexicon().towns.find(w.county->code);
    if (towns != lexicon().towns.end()) {
      std::vector<const Chars*> names;
      for (const auto& town : towns->second) names.push_back(&town);
      if (const Chars* town = best_fit(t, w.pos, names, nullptr)) apply(t, w.pos, *town);
    }
  }
  // After the place names: what every address prints besides them.
  snap_number_units(t, w.pos);
  snap_white(t, w.pos);
  snap_address_words(t, w.pos);
  return join(t.chars);
}

namespace {

// The readings with one of the words every authority prints besides its place names put back:
// 局 after 公安 (read as another character, or lost), or the division's suffix before 公安局 (县, 市,
// 区, 旗). A place name's own characters are never changed here; the edited character has no
// alternatives (the reader did not see it).
std::vector<ReadText> bureau_word_repairs(const ReadText& t) {
  std::vector<ReadText> out;
  auto edited = [&](size_t at, const std::string& c, bool insert) {
    ReadText r = t;
    if (insert) {
      r.chars.insert(r.chars.begin() + static_cast<long>(at), c);
      r.alts.insert(r.alts.begin() + static_cast<long>(at), CharAlternatives{});
    } else {
      r.chars[at] = c;
      r.alts[at].clear();
    }
    out.push_back(std::move(r));
  };
  const Chars& chars = t.chars;
  for (size_t i = 0; i + 1 < chars.size(); ++i) {
    if (chars[i] != "公" || chars[i + 1] != "安") continue;
    if (i + 2 < chars.size() && chars[i + 2] != "局") {
      edited(i + 2, "局", /*insert=*/false);
      edited(i + 2, "局", /*insert=*/true);
    }
    if (i >= 2 && i + 2 < chars.size() && chars[i + 2] == "局")
      for (const char* suffix : {"县", "市", "区", "旗"})
        if (chars[i - 1] != suffix) edited(i - 1, suffix, /*insert=*/false);
  }
  return out;
}

std::string snap_divisions_of_authority(std::string_view text, const ReadText& read) {
  ReadText t = align(text, read);
  const Walk w = walk_divisions(t, 0, nullptr, /*need_province=*/false);
  // <city|municipality>公安局<district>分局: the district's name without its 区.
  static const Chars kBureau = utf8_chars("公安局"), kBranch = utf8_chars("分局");
  // Every authority is a 公安局 or its 分局: a 局 lost to a stamp or the card's edge is restored.
  if (t.chars.size() >= 3 && t.chars[t.chars.size() - 2] == "公" && t.chars.back() == "安") {
    t.chars.push_back("局");
    t.alts.emplace_back();
  }
  size_t pos = w.pos;
  const bool bureau = pos + kBureau.size() <= t.chars.size() &&
                      std::equal(kBureau.begin(), kBureau.end(), t.chars.begin() + static_cast<long>(pos));
  if (!bureau || (!w.city && !w.province) || w.county) return join(t.chars);
  pos += kBureau.size();
  std::vector<Chars> stems;
  for (const Division& d : lexicon().rows) {
    const bool within = w.city ? d.city == w.city->city && d.province == w.city->province
                               : d.province == w.province->province;
    if (!within || !ends_with(d.county, "区") || d.county_chars.size() < 3) continue;
    Chars stem(d.county_chars.begin(), d.county_chars.end() - 1);
    stem.insert(stem.end(), kBranch.begin(), kBranch.end());
    stems.push_back(std::move(stem));
  }
  std::vector<const Chars*> names;
  for (const auto& s : stems) names.push_back(&s);
  // The city and its bureau are read, so the branch is one of the city's few districts: one unsure
  // character may be replaced even where the reader saw nothing like the printed one.
  if (const Chars* s = best_fit(t, pos, names, nullptr, /*unsure=*/true)) apply(t, pos, *s);
  return join(t.chars);
}

}  // namespace

namespace {

// <city><county>公安局 with the county's long name read one character off (石林非族自治县, a
// blurred 彝) and no alternative to tell: the one county of that city it differs from in that
// character alone, where the name is long enough (five characters or more) that a misreading of
// another name does not come as near.
std::string snap_long_county(const std::string& text) {
  ReadText t;
  t.chars = utf8_chars(text);
  t.alts.resize(t.chars.size());
  const Walk w = walk_divisions(t, 0, nullptr, /*need_province=*/false);
  static const Chars kBureau = utf8_chars("公安局");
  constexpr size_t kMinLength = 5;
  if (!w.city || w.county || t.chars.size() < w.pos + kMinLength + kBureau.size() ||
      !std::equal(kBureau.begin(), kBureau.end(), t.chars.end() - static_cast<long>(kBureau.size())))
    return text;
  const Chars stem(t.chars.begin() + static_cast<long>(w.pos),
                   t.chars.end() - static_cast<long>(kBureau.size()));
  const Chars* fit = nullptr;
  for (const Division& d : lexicon().rows) {
    if (d.city != w.city->city || d.province != w.city->province || d.county_chars.size() != stem.size() ||
        (fit && *fit == d.county_chars))
      continue;
    size_t differ = 0;
    for (size_t k = 0; k < stem.size(); ++k) differ += d.county_chars[k] != stem[k];
    if (differ != 1) continue;
    if (fit) return text;  // two counties as near: neither
    fit = &d.county_chars;
  }
  if (!fit) return text;
  return join(Chars(t.chars.begin(), t.chars.begin() + static_cast<long>(w.pos))) + join(*fit) +
         join(kBureau);
}

}  // namespace

std::string snap_authority(std::string_view text, const ReadText& read) {
  std::string snapped = snap_divisions_of_authority(text, read);
  if (is_known_authority(snapped)) return snapped;
  if (std::string county = snap_long_county(snapped); is_known_authority(county)) return county;
  // Still no known bureau: one of its own words misread (公安展, 公安易新兴分局, 永德最公安局), and
  // then perhaps a place name too (公安商数楼分局: 商 and 鼓). Put back where exactly one repair,
  // its place names snapped as above, names a known bureau.
  std::vector<std::string> fits;
  for (const ReadText& r : bureau_word_repairs(align(text, read))) {
    std::string s = snap_divisions_of_authority(join(r.chars), r);
    if (is_known_authority(s) && std::find(fits.begin(), fits.end(), s) == fits.end()) fits.push_back(s);
  }
  return fits.size() == 1 ? fits.front() : snapped;
}

bool is_known_authority(std::string_view text) {
  ReadText t;
  t.chars = utf8_chars(text);
  t.alts.resize(t.chars.size());  // no alternatives: only names read exactly fit
  const Walk w = walk_divisions(t, 0, nullptr, /*need_province=*/false);
  if (!w.province && !w.city && !w.county) return false;
  const Chars rest(t.chars.begin() + static_cast<long>(w.pos), t.chars.end());
  static const Chars kBureau = utf8_chars("公安局"), kBranch = utf8_chars("分局");
  if (rest == kBureau) return true;
  // <city>公安局<district>分局: the district one of the city's, without its 区.
  if (!w.city || w.county || rest.size() <= kBureau.size() + kBranch.size() ||
      !std::equal(kBureau.begin(), kBureau.end(), rest.begin()) ||
      !std::equal(kBranch.begin(), kBranch.end(), rest.end() - static_cast<long>(kBranch.size())))
    return false;
  const Chars stem(rest.begin() + static_cast<long>(kBureau.size()),
                   rest.end() - static_cast<long>(kBranch.size()));
  return std::any_of(lexicon().rows.begin(), lexicon().rows.end(), [&](const Division& d) {
    return d.city == w.city->city && d.province == w.city->province && ends_with(d.county, "区") &&
           d.county_chars.size() == stem.size() + 1 &&
           std::equal(stem.begin(), stem.end(), d.county_chars.begin());
  });
}

}  // namespace idcard
