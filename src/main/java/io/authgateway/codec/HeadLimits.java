package io.authgateway.codec;

/**
 * How large a message head may be, the same for requests from clients and answers from upstreams,
 * so there is one set of numbers to reason about. A request over a limit is answered 414 (target)
 * or 431 (head, fields) before any of it goes upstream; an answer over one is a 502.
 *
 * @param maxTargetBytes request-target length; nginx's default is 8 KiB, which long PromQL and
 *                       LogQL queries sent with GET exceed, so four times that
 * @param maxHeadBytes   start line and all fields together, CRLFs included
 * @param maxFields      header field lines
 */
public record HeadLimits(int maxTargetBytes, int maxHeadBytes, int maxFields) {

    public static final HeadLimits DEFAULT = new HeadLimits(32 * 1024, 64 * 1024, 200);

    public HeadLimits {
        if (maxTargetBytes < 1 || maxHeadBytes < 64 || maxFields < 1) {
            throw new IllegalArgumentException("invalid head limits: " + maxTargetBytes + ", " + maxHeadBytes + ", "
                    + maxFields);
        }
    }
}
