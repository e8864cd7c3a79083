// HTTP service lands here (issue 3).
