// load_scoring_model on any text; an accepted model scores a fixed set of
// events without trouble, and the grade is one the model defines.
#include "fuzz_check.h"
#include "loopkit/scoring.h"

namespace {

const std::vector<loopkit::event>& sample_events() {
  static const std::vector<loopkit::event> events = [] {
    const auto batch = loopkit::decode_batch(R"([
      {"id": "e1", "type": "page_view", "time": 1, "visitor_id": "v",
       "session_id": "s", "site": "x",
       "page": {"url": "https://s.test/pricing", "path": "/pricing",
                "title": "Pricing", "referrer": ""}},
      {"id": "e2", "type": "cta_click", "time": 2, "visitor_id": "v",
       "session_id": "s", "site": "x", "props": {"cta": "demo"}},
      {"id": "e3", "type": "track", "name": "signup", "time": 3,
       "visitor_id": "v", "session_id": "s", "site": "x",
       "props": {"plan": "pro", "seats": 5}}
    ])");
    return batch ? *batch : std::vector<loopkit::event>{};
  }();
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  const auto model =
      loopkit::load_scoring_model(loopkit::fuzz::as_text(data, size));
  if (!model) return 0;

  const auto score = loopkit::score_events(*model, sample_events(), 4);
  (void)loopkit::dump(loopkit::to_json(score));
  bool known_grade = score.grade.empty();
  for (const auto& g : model->fit.levels) known_grade |= g.name == score.grade;
  check(known_grade, "the grade is one of the model's");
  return 0;
}
