PROGRAM_STAFF_GROUP = "Program staff"
REVIEWERS_GROUP = "Reviewers"
