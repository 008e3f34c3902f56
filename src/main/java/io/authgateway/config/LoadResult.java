package io.authgateway.config;

import java.util.List;

/** What reading the command line gave: a configuration, the help text, or the problems found. */
public sealed interface LoadResult {

    record Loaded(GatewayConfig config, List<String> warnings) implements LoadResult {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    record HelpRequested(String usage) implements LoadResult {
    }

    record Invalid(List<String> problems) implements LoadResult {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }
}
