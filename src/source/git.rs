//! Git sources (staged changes, commit ranges, history). All gix code lives here.
