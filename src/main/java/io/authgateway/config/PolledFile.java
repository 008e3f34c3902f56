package io.authgateway.config;

import io.authgateway.observability.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A small text file the gateway re-reads while it runs (the JWT secret file, the limits overrides
 * file): polled rather than watched, because polling also sees a Kubernetes volume's symlink swap.
 * The one rule for all of them: a poll hands out the content only when it differs from the last
 * accepted one; a poll that finds the file unreadable or its content unusable counts a failure,
 * logs one error per new problem (not one every poll) and forgets the last content, so the same
 * file, once fixed, is read again. Used by one polling thread at a time.
 */
public final class PolledFile {

    /** How often such a file is polled: a change is in force well within the promised 10 s. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private final Path path;
    private final Log log;
    private final String unusableMessage;
    private final Supplier<List<Object>> inUse;
    private final AtomicLong failures = new AtomicLong();
    private String lastContent;
    private String lastProblem;

    /**
     * @param unusableMessage the error line logged when a poll fails, e.g. "JWT secret file unusable, keeping ..."
     * @param inUse           key-value pairs for that line, saying what stays in force
     */
    public PolledFile(Path path, Log log, String unusableMessage, Supplier<List<Object>> inUse) {
        this.path = path;
        this.log = log;
        this.unusableMessage = unusableMessage;
        this.inUse = inUse;
    }

    public Path path() {
        return path;
    }

    /** The file's text when it changed since the last {@link #accepted} content; null when it did not or cannot be read. */
    public String changedContent() {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            failed("cannot read the file (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        return content.equals(lastContent) ? null : content;
    }

    /** The content is in force now: the next poll hands it out only once it changes. */
    public void accepted(String content) {
        lastContent = content;
        lastProblem = null;
    }

    /** The file cannot be used; what is in force stays. */
    public void failed(String problem) {
        failures.incrementAndGet();
        if (!problem.equals(lastProblem)) {
            List<Object> fields = new ArrayList<>(List.of("path", path, "err", problem));
            fields.addAll(inUse.get());
            log.error(unusableMessage, fields.toArray());
        }
        lastProblem = problem;
        lastContent = null;
    }

    /** Polls that found the file unreadable or unusable, since start-up. */
    public long failures() {
        return failures.get();
    }
}
