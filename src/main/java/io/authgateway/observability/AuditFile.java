package io.authgateway.observability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Where audit lines go: standard output, or a file opened for appending ({@code O_APPEND}, so every
 * write lands at the end of whatever the file is now). Only the audit writer thread uses it.
 * A file is reopened when logrotate moved it away ({@code create}: the path now names another file,
 * or none) or truncated it ({@code copytruncate}: it is shorter than what was written);
 * {@link #checkRotation} is called a few times a second. A write is a whole batch of whole lines,
 * so a line is never split between the old file and the new one.
 */
final class AuditFile implements AutoCloseable {

    private final Path path;
    private FileChannel channel;
    private Object openedKey;
    /** The file's size after our last write; a smaller size means it was truncated. */
    private long sizeAfterWrite;

    private AuditFile(Path path) {
        this.path = path;
    }

    static AuditFile stdout() {
        return new AuditFile(null);
    }

    static AuditFile at(Path path) {
        return new AuditFile(Objects.requireNonNull(path));
    }

    String describe() {
        return path == null ? "-" : path.toString();
    }

    /** Writes all of {@code lines}, opening the file first if needed. */
    void write(ByteBuffer lines) throws IOException {
        FileChannel out = open();
        while (lines.hasRemaining()) {
            out.write(lines);
        }
        if (path != null) {
            sizeAfterWrite = sizeOrZero(out);
        }
    }

    /**
     * Closes the file when the path no longer names it or it shrank, so the next write opens the
     * path afresh; returns what happened, for the log, or null when nothing did.
     */
    String checkRotation() {
        if (path == null || channel == null) {
            return null;
        }
        String what;
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
            if (!Objects.equals(now.fileKey(), openedKey)) {
                what = "moved";
            } else if (now.size() < sizeAfterWrite) {
                what = "truncated";
            } else {
                return null;
            }
        } catch (NoSuchFileException e) {
            what = "moved";
        } catch (IOException e) {
            what = "unreadable (" + Log.describe(e) + ")";
        }
        close();
        return what;
    }

    private FileChannel open() throws IOException {
        if (channel != null) {
            return channel;
        }
        if (path == null) {
            channel = new FileOutputStream(FileDescriptor.out).getChannel();
            return channel;
        }
        FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            openedKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            openedKey = null;
        }
        sizeAfterWrite = sizeOrZero(opened);
        channel = opened;
        return channel;
    }

    private static long sizeOrZero(FileChannel channel) {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Closes the file (never standard output); the next write opens the path again. */
    @Override
    public void close() {
        if (channel == null || path == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was lost: every write already returned
        }
        channel = null;
    }

    /** After a failed write: drop the channel, so the next write starts from a fresh open. */
    void reset() {
        if (path != null) {
            close();
        } else if (channel != null && !channel.isOpen()) {
            channel = null;
        }
    }
}
