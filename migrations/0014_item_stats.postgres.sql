-- Item analysis (#13 part 1): per course, revision, question and who
-- (guest or registered), how many answered it, how many were right, and
-- the same among attempts that passed the quiz and that failed it (for the
-- discrimination figure); item_choice_stats counts how often each choice
-- was picked. Both are rollups written with each submission (never a scan
-- of quiz_attempts) and hold counts only: no learner id.
CREATE TABLE item_stats (
    course_id     BIGINT NOT NULL,
    revision_id   BIGINT NOT NULL,
    question_id   TEXT NOT NULL,
    guest         BOOLEAN NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    right_n       BIGINT NOT NULL DEFAULT 0,
    pass_attempts BIGINT NOT NULL DEFAULT 0,
    pass_right    BIGINT NOT NULL DEFAULT 0,
    fail_attempts BIGINT NOT NULL DEFAULT 0,
    fail_right    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (course_id, revision_id, question_id, guest)
);
CREATE TABLE item_choice_stats (
    course_id   BIGINT NOT NULL,
    revision_id BIGINT NOT NULL,
    question_id TEXT NOT NULL,
    guest       BOOLEAN NOT NULL,
    choice_id   TEXT NOT NULL,
    picks       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (course_id, revision_id, question_id, guest, choice_id)
);
