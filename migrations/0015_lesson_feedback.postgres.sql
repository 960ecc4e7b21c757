-- "Was this lesson useful?" (#13 part 2). lesson_feedback holds each
-- visitor's one answer per lesson and language, so that a visitor counts
-- once and may change their mind; it is personal data and goes with the
-- learner (store.DeleteUser). lesson_feedback_counts is the rollup the
-- educators' table reads, updated with every answer in one transaction; it
-- is anonymous and stays when a learner goes. answer is 'yes' or 'no'.
CREATE TABLE lesson_feedback (
    learner_id   TEXT NOT NULL,
    course_id    BIGINT NOT NULL REFERENCES courses(id),
    lesson_slug  TEXT NOT NULL,
    locale       TEXT NOT NULL,
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
    answered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (learner_id, course_id, lesson_slug, locale)
);

CREATE TABLE lesson_feedback_counts (
    course_id    BIGINT NOT NULL REFERENCES courses(id),
    lesson_slug  TEXT NOT NULL,
    locale       TEXT NOT NULL,
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
    n            BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (course_id, lesson_slug, locale, answer)
);
