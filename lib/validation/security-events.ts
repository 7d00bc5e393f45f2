/**
 * What the security activity log records, kept free of zod so the settings page can label every kind without
 * pulling the validation library into the browser's JavaScript.
 */
export const securityEventTypes = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'session_revoked',
  'token_created',
  'token_revoked',
  'password_changed',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_code_used',
  'account_deleted',
  // Site administration (issue 15): recorded on the person acted on; detail.by names the admin.
  'admin_user_deactivated',
  'admin_user_reactivated',
  'admin_granted',
  'admin_revoked',
  'admin_account_created',
  'admin_password_reset_issued',
  'password_reset_used',
  // Moderation: recorded on the reported message's author; detail names the admin, report and action.
  'admin_report_resolved',
  'bot_created',
  // Recorded on the admin who changed the site settings; detail.keys names the settings.
  'admin_settings_changed',
] as const;
export type SecurityEventType = (typeof securityEventTypes)[number];
