package io.authgateway.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PathCleanerTest {

    @ParameterizedTest
    @CsvSource({"/api/v1/push, /api/v1/push", "//api/x, /api/x", "/a/../b, /b", "/a/./b/, /a/b/", "/.., /",
            "/a/b/.., /a", "/api//v1///push, /api/v1/push", "/, /", "/a/b/../../.., /"})
    void cleansLikeGoPathClean(String path, String cleaned) {
        assertThat(PathCleaner.clean(path)).isEqualTo(cleaned);
        assertThat(PathCleaner.isClean(path)).isEqualTo(path.equals(cleaned));
    }
}
