// The lead list: each visitor who sent a lead, scored by the collector's
// own model from everything that visitor did.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "loopkit/scoring.h"
#include "store.h"

namespace loopkit::collector {

struct lead_report {
  nlohmann::json leads = nlohmann::json::array();  // best score first
  std::size_t undecodable = 0;  // stored events the core no longer accepts
};

// Builds one entry per visitor from rows grouped by visitor, oldest first
// (as store::lead_visitor_events returns them), scored as of now_ms:
//   {"visitor_id", "email_sha256", "email_domain", "form", "fields",
//    "lead_time", "score": {"points", "fit", "engagement", "grade", "stage",
//    "status", "reasons"}, "page_score", "first_touch", "last_touch",
//    "events"}
// The score is recomputed here; page_score is what the page claimed, kept
// only for comparison. Ties in points go to the fresher lead.
lead_report build_lead_report(const scoring_model& model,
                              const std::vector<stored_event>& rows,
                              std::int64_t now_ms);

}  // namespace loopkit::collector
