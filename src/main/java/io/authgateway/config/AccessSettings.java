package io.authgateway.config;

/**
 * What a verified token may do beyond naming its tenant.
 *
 * @param tenantFederation accept tenant-list tokens ({@code -gateway.auth.tenant-federation}, default true)
 * @param requireScopes    refuse tokens that name no scope ({@code -gateway.auth.require-scopes}, default false)
 * @param basicEnabled     accept {@code Authorization: Basic} with the token as password
 *                         ({@code -gateway.auth.basic-enabled}, default false)
 */
public record AccessSettings(boolean tenantFederation, boolean requireScopes, boolean basicEnabled) {

    /** Today's behaviour for every token that worked before access policies. */
    public static final AccessSettings DEFAULTS = new AccessSettings(true, false, false);
}
