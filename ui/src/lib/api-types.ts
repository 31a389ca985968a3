// Generated from the API's OpenAPI document by `npx -y pnpm@10 api:types`: do not edit.
// A test fails when it is out of date.
export interface paths {
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every account of the installation (admins only)
         * @description Only ADMIN accounts.
         */
        get: operations["getApiAdminUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an account's role (admins only); a sub-account names its agency
         * @description Only ADMIN accounts.
         */
        patch: operations["patchApiAdminUsersByIdRole"];
        trace?: never;
    };
    "/api/admin/users/{id}/two-factor-requirement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Require two-factor sign-in of an account (admins only); for an agency, of its sub-accounts too
         * @description Only ADMIN accounts.
         */
        put: operations["putApiAdminUsersByIdTwoFactorRequirement"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agency/sub-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The agency's sub-accounts with roll-up counts of their data
         * @description Only AGENCY accounts.
         */
        get: operations["getApiAgencySubAccounts"];
        put?: never;
        /**
         * Create a client sub-account; its owner gets an email to set a password
         * @description Only AGENCY accounts.
         */
        post: operations["postApiAgencySubAccounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agency/switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Work inside one of your sub-accounts (every change is audited in its log)
         * @description Only AGENCY accounts.
         */
        post: operations["postApiAgencySwitch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agency/switch-back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Return to your own agency account
         * @description Only AGENCY accounts.
         */
        post: operations["postApiAgencySwitchBack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agency/two-factor-requirement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Require two-factor sign-in of the agency and every sub-account (those without it are sent to set it up)
         * @description Only AGENCY accounts.
         */
        put: operations["putApiAgencyTwoFactorRequirement"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (without the keys themselves) */
        get: operations["getApiApiKeys"];
        put?: never;
        /** Create a personal API key; the key is in this answer and never again */
        post: operations["postApiApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key; it stops working at once */
        delete: operations["deleteApiApiKeysById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Security events of this account, newest first */
        get: operations["getApiAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/google": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start signing in with Google: redirects to Google's consent page */
        get: operations["getApiAuthGoogle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/google/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where Google sends the browser back: signs in, links or creates the user, then redirects to / */
        get: operations["getApiAuthGoogleCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with email and password; starts a new session, or asks for the second factor when two-factor sign-in is on */
        post: operations["postApiAuthLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End this session */
        post: operations["postApiAuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End every session of this account, on every device */
        post: operations["postApiAuthLogoutAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email a password reset link (answers the same whether or not the email has an account) */
        post: operations["postApiAuthPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with the token from the email; ends every session */
        post: operations["postApiAuthPasswordResetConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in, the CSRF token for state-changing requests, and the account being acted in */
        get: operations["getApiAuthSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account (answers the same whether or not the email is taken) */
        post: operations["postApiAuthSignup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/two-factor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether two-factor sign-in is on for the signed-in user, and required */
        get: operations["getApiAuthTwoFactor"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/two-factor/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn two-factor sign-in on with a first code from the app; answers the recovery codes, once */
        post: operations["postApiAuthTwoFactorConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/two-factor/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn two-factor sign-in off; needs the password, or a code from the app or a recovery code */
        post: operations["postApiAuthTwoFactorDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/two-factor/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the recovery codes (needs a code from the app); the old ones stop working */
        post: operations["postApiAuthTwoFactorRecoveryCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/two-factor/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start setting up two-factor sign-in: a new secret for an authenticator app (on only once confirmed with a code) */
        post: operations["postApiAuthTwoFactorSetup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/two-factor/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The second step of a log-in: a code from the app or a recovery code; starts the session */
        post: operations["postApiAuthTwoFactorVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm an email address with the token from the email */
        post: operations["postApiAuthVerifyEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/verify-email/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the verification email again */
        post: operations["postApiAuthVerifyEmailResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Appointments overlapping [from, to) (at most 62 days), by start; filter by calendar, contact or status */
        get: operations["getApiCalendarAppointments"];
        put?: never;
        /** Book an appointment (raises "Appointment scheduled"); a taken time answers 409 with fresh slots. Send `Idempotency-Key` to book once. */
        post: operations["postApiCalendarAppointments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/appointments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An appointment with its contact */
        get: operations["getApiCalendarAppointmentsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the title, description, location or contact of an appointment (times: reschedule) */
        patch: operations["patchApiCalendarAppointmentsById"];
        trace?: never;
    };
    "/api/calendar/appointments/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a scheduled or confirmed appointment (raises "Appointment cancelled"); cancelling again changes nothing */
        post: operations["postApiCalendarAppointmentsByIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/appointments/{id}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a scheduled or confirmed appointment (raises "Appointment rescheduled"); a taken time answers 409 with fresh slots */
        post: operations["postApiCalendarAppointmentsByIdReschedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/appointments/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm, complete or mark a no-show (raises "Appointment completed" / "Appointment no-show"); 409 for a move its status does not allow */
        post: operations["postApiCalendarAppointmentsByIdStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calendars, oldest first, with their weekly hours; archived ones with `archived=true` */
        get: operations["getApiCalendarCalendars"];
        put?: never;
        /** Create a calendar (no hours yet: set them with PUT /calendars/:id/hours) */
        post: operations["postApiCalendarCalendars"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A calendar with its weekly hours */
        get: operations["getApiCalendarCalendarsById"];
        put?: never;
        post?: never;
        /** Delete a calendar that never had appointments (409 otherwise: archive it) */
        delete: operations["deleteApiCalendarCalendarsById"];
        options?: never;
        head?: never;
        /** Change a calendar: its name, zone, booking page, write target; archive it; a new page address */
        patch: operations["patchApiCalendarCalendarsById"];
        trace?: never;
    };
    "/api/calendar/calendars/{id}/hours": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace the weekly hours (minutes of the day in the calendar's zone; several rows of a weekday are split shifts) */
        put: operations["putApiCalendarCalendarsByIdHours"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars/{id}/overrides": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dates whose hours replace the weekly hours, between two dates (at most a year) */
        get: operations["getApiCalendarCalendarsByIdOverrides"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars/{id}/overrides/{date}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set one date's hours (no windows: closed that day), replacing its weekly hours */
        put: operations["putApiCalendarCalendarsByIdOverridesByDate"];
        post?: never;
        /** The date follows the weekly hours again */
        delete: operations["deleteApiCalendarCalendarsByIdOverridesByDate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars/{id}/slots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Free start times of a type between two instants (at most 42 days), by local date in `tz`; minimum notice ignored */
        get: operations["getApiCalendarCalendarsByIdSlots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars/{id}/types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The appointment types of a calendar, in their order */
        get: operations["getApiCalendarCalendarsByIdTypes"];
        put?: never;
        /** Add an appointment type to a calendar (its slug defaults to the name) */
        post: operations["postApiCalendarCalendarsByIdTypes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/calendars/{id}/write-target": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Choose the connected calendar this calendar's appointments are written to (null: none) */
        put: operations["putApiCalendarCalendarsByIdWriteTarget"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's calendar connections with their calendars */
        get: operations["getApiCalendarConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Disconnect a calendar account: its calendars and their busy time go with it */
        delete: operations["deleteApiCalendarConnectionsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/connections/{provider}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish connecting with the code and state the provider sent back to the admin UI */
        post: operations["postApiCalendarConnectionsByProviderComplete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/connections/{provider}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start connecting a Google or Microsoft calendar account (or reconnect a broken one): the consent page to open */
        post: operations["postApiCalendarConnectionsByProviderStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/connections/apple": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Connect an Apple iCloud (or other CalDAV) calendar account with an app-specific password */
        post: operations["postApiCalendarConnectionsApple"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/external-calendars/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Choose which of our calendars a connected calendar's busy time blocks, and whether all-day events count */
        patch: operations["patchApiCalendarExternalCalendarsById"];
        trace?: never;
    };
    "/api/calendar/external-calendars/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read a connected calendar in now, without waiting for its next poll */
        post: operations["postApiCalendarExternalCalendarsByIdSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/public/manage/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A booking as its manage link shows it, and whether it may still be rescheduled or cancelled
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        get: operations["getApiCalendarPublicManageByToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/public/manage/{token}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a booking (cancelling twice answers the cancelled booking)
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiCalendarPublicManageByTokenCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/public/manage/{token}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a booking to another free start of its type; 409 with fresh slots when that time was just taken
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiCalendarPublicManageByTokenReschedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/public/pages/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A calendar's booking page: its name, intro, zone, consent text and the types it offers
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        get: operations["getApiCalendarPublicPagesBySlug"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/public/pages/{slug}/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Book a slot on a booking page: the contact is found or made, a confirmation with the manage link is emailed; 409 with fresh slots when the time was just taken
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiCalendarPublicPagesBySlugBookings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/public/pages/{slug}/types/{typeSlug}/slots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Free start times of a type on a booking page, by local date in the booker's zone (`tz`), and the form token to book with
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        get: operations["getApiCalendarPublicPagesBySlugTypesByTypeSlugSlots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/sandbox/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Simulate an event made, moved or deleted in a sandbox connection’s calendar, through the same path as a real read-in */
        post: operations["postApiCalendarSandboxEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar/types/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An appointment type */
        get: operations["getApiCalendarTypesById"];
        put?: never;
        post?: never;
        /** Delete an appointment type (its appointments stay) */
        delete: operations["deleteApiCalendarTypesById"];
        options?: never;
        head?: never;
        /** Change an appointment type (booked appointments keep their times) */
        patch: operations["patchApiCalendarTypesById"];
        trace?: never;
    };
    "/api/campaigns/audience": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** How many contacts some tags and/or a smart list reach (the editor counts before saving) */
        post: operations["postApiCampaignsAudience"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Campaigns, newest first, with their counters */
        get: operations["getApiCampaignsCampaigns"];
        put?: never;
        /** Create a draft campaign */
        post: operations["postApiCampaignsCampaigns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One campaign, with its metrics */
        get: operations["getApiCampaignsCampaignsById"];
        put?: never;
        post?: never;
        /** Delete a campaign that is not sending */
        delete: operations["deleteApiCampaignsCampaignsById"];
        options?: never;
        head?: never;
        /** Change a draft or scheduled campaign */
        patch: operations["patchApiCampaignsCampaignsById"];
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sends, deliveries, opens, clicks, bounces, failures and unsubscribes per minute, hour or day */
        get: operations["getApiCampaignsCampaignsByIdActivity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/audience": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many contacts the campaign targets now */
        get: operations["getApiCampaignsCampaignsByIdAudience"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a scheduled campaign, or stop the remaining sends of an active one */
        post: operations["postApiCampaignsCampaignsByIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recipients, sends, deliveries, opens, clicks, bounces, failures and unsubscribes, exact, with rates */
        get: operations["getApiCampaignsCampaignsByIdMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The subject and message as one contact will get them; unsaved subject, message or HTML given here are previewed instead */
        post: operations["postApiCampaignsCampaignsByIdPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/recipients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each recipient with its status and times, with the contact’s name and address */
        get: operations["getApiCampaignsCampaignsByIdRecipients"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a draft (or reschedule a scheduled) campaign to start sending at a time */
        post: operations["postApiCampaignsCampaignsByIdSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start sending a draft or scheduled campaign now */
        post: operations["postApiCampaignsCampaignsByIdSend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the campaign to yourself (or an address), filled in for a chosen contact */
        post: operations["postApiCampaignsCampaignsByIdTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/campaigns/{id}/unschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a scheduled campaign back to draft */
        post: operations["postApiCampaignsCampaignsByIdUnschedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Enabled plugins with their triggers and actions, and JSON Schemas of their settings */
        get: operations["getApiCatalog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every provider the enabled plugins connect to: its credential form, and whether it is connected or in sandbox mode */
        get: operations["getApiConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections/{plugin}/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Save credentials for a provider (encrypted); the plugin leaves sandbox mode */
        put: operations["putApiConnectionsByPluginByProvider"];
        post?: never;
        /** Forget the credentials for a provider; the plugin goes back to sandbox mode */
        delete: operations["deleteApiConnectionsByPluginByProvider"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Erases a contact's personal data everywhere (owner or admin only); 202 with what was removed, kept and queued at providers; a repeat answers the same report */
        post: operations["postApiContactsByIdErase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A contact's complete data from every plugin, as a JSON file (owner or admin only) */
        get: operations["getApiContactsByIdExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A contact's timeline from every plugin, newest first */
        get: operations["getApiContactsByIdTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List contacts: search (prefix, then fuzzy), filters, a smart list, sorting and keyset pagination */
        get: operations["getApiCrmContacts"];
        put?: never;
        /** Create a contact */
        post: operations["postApiCrmContacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact */
        get: operations["getApiCrmContactsById"];
        put?: never;
        post?: never;
        /** Delete a contact with its notes, messages and deal links */
        delete: operations["deleteApiCrmContactsById"];
        options?: never;
        head?: never;
        /** Change fields of a contact (only those given) */
        patch: operations["patchApiCrmContactsById"];
        trace?: never;
    };
    "/api/crm/contacts/{id}/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A contact's likely duplicates: other contacts with its email or phone */
        get: operations["getApiCrmContactsByIdDuplicates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/{id}/merges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The contacts merged into this one, newest first, each as it was before the merge */
        get: operations["getApiCrmContactsByIdMerges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notes on a contact, newest first */
        get: operations["getApiCrmContactsByIdNotes"];
        put?: never;
        /** Write a note on a contact */
        post: operations["postApiCrmContactsByIdNotes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add and remove tags on a contact */
        post: operations["postApiCrmContactsByIdTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a bulk action (add or remove tags, delete, start a workflow) on selected contacts, a filter or a smart list */
        post: operations["postApiCrmContactsBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Count the contacts a filter or smart list matches (prefix search: fuzzy matches are not counted) */
        get: operations["getApiCrmContactsCount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Groups of contacts sharing an email (any case) or a phone number, paged */
        get: operations["getApiCrmContactsDuplicates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The contacts a filter or smart list matches, as a CSV file with a column per custom field */
        get: operations["getApiCrmContactsExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import an uploaded CSV with a column mapping, as a job: progress at GET /jobs/:id, refused rows at GET /jobs/:id/errors */
        post: operations["postApiCrmContactsImports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/imports/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a CSV of contacts (a text/csv body with ?fileName=, or JSON { fileName, content }): its columns, row count, first rows and a guessed column mapping */
        post: operations["postApiCrmContactsImportsUploads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/contacts/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Merge one contact into another: its records move over, tags and custom fields combine, the merge is recorded */
        post: operations["postApiCrmContactsMerge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/custom-fields": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The custom fields of contacts */
        get: operations["getApiCrmCustomFields"];
        put?: never;
        /** Define a custom field */
        post: operations["postApiCrmCustomFields"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/custom-fields/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a custom field and its values on every contact */
        delete: operations["deleteApiCrmCustomFieldsById"];
        options?: never;
        head?: never;
        /** Rename a custom field, change its choices or whether it is required */
        patch: operations["patchApiCrmCustomFieldsById"];
        trace?: never;
    };
    "/api/crm/deals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deals, newest first, filtered by stage, contact or title; pages with `cursor` */
        get: operations["getApiCrmDeals"];
        put?: never;
        /** Open a deal (raises "Deal created") */
        post: operations["postApiCrmDeals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/deals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A deal with its contacts, the primary first */
        get: operations["getApiCrmDealsById"];
        put?: never;
        post?: never;
        /** Delete a deal with its contact links and notes */
        delete: operations["deleteApiCrmDealsById"];
        options?: never;
        head?: never;
        /** Change a deal; a new stage raises "Deal stage changed" */
        patch: operations["patchApiCrmDealsById"];
        trace?: never;
    };
    "/api/crm/deals/{id}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a contact on a deal (the first one becomes primary) */
        post: operations["postApiCrmDealsByIdContacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/deals/{id}/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take a contact off a deal (the primary passes to the longest-known contact left) */
        delete: operations["deleteApiCrmDealsByIdContactsByContactId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/deals/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notes on a deal, newest first */
        get: operations["getApiCrmDealsByIdNotes"];
        put?: never;
        /** Write a note on a deal */
        post: operations["postApiCrmDealsByIdNotes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/deals/{id}/primary-contact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Make a contact the deal's primary contact, putting it on the deal if needed */
        put: operations["putApiCrmDealsByIdPrimaryContact"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/deals/board": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The pipeline: each stage with its totals (per currency) and its most recently updated deals */
        get: operations["getApiCrmDealsBoard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job: status, total, processed, succeeded and failed counts, result */
        get: operations["getApiCrmJobsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/jobs/{id}/errors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The items a job could not process (an import: row, field, message) */
        get: operations["getApiCrmJobsByIdErrors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/leads/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notes on a lead, newest first */
        get: operations["getApiCrmLeadsByIdNotes"];
        put?: never;
        /** Write a note on a lead */
        post: operations["postApiCrmLeadsByIdNotes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/notes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a note */
        delete: operations["deleteApiCrmNotesById"];
        options?: never;
        head?: never;
        /** Edit a note */
        patch: operations["patchApiCrmNotesById"];
        trace?: never;
    };
    "/api/crm/reports/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Contacts added per day over the last `days` days (the account's time zone), and how many there are in all */
        get: operations["getApiCrmReportsContacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/reports/pipeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deals and their value per stage, in pipeline order, one total per currency (sums are strings with 4 decimals) */
        get: operations["getApiCrmReportsPipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/smart-lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Saved contact filters */
        get: operations["getApiCrmSmartLists"];
        put?: never;
        /** Save a contact filter under a name */
        post: operations["postApiCrmSmartLists"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/smart-lists/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a smart list (its contacts stay) */
        delete: operations["deleteApiCrmSmartListsById"];
        options?: never;
        head?: never;
        /** Rename a smart list or change its filter */
        patch: operations["patchApiCrmSmartListsById"];
        trace?: never;
    };
    "/api/crm/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tags, with their colours and how many contacts carry each (counts=false: without the counts, which read every contact) */
        get: operations["getApiCrmTags"];
        put?: never;
        /** Create a tag */
        post: operations["postApiCrmTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/tags/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a tag and remove it from every contact */
        delete: operations["deleteApiCrmTagsById"];
        options?: never;
        head?: never;
        /** Rename a tag (on every contact, workflow filter and campaign target) or change its colour */
        patch: operations["patchApiCrmTagsById"];
        trace?: never;
    };
    "/api/data-retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's data retention: how long finished workflow runs are kept */
        get: operations["getApiDataRetention"];
        /** Set the account's data retention; runs already past a shorter one go at the next lifecycle run */
        put: operations["putApiDataRetention"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** System emails recorded in sandbox mode, newest first (from this machine only; not in production) */
        get: operations["getApiDevOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API reference, readable in a browser */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/docs/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reference page's script and styles */
        get: operations["getApiDocsByFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Forms, most recently changed first, with their published version and submission count */
        get: operations["getApiForms"];
        put?: never;
        /** Make a form (a draft); without a definition it starts with a name and an email field */
        post: operations["postApiForms"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A form: its draft, the published version, its public address and embed code */
        get: operations["getApiFormsById"];
        put?: never;
        post?: never;
        /** Delete a form that has no submissions (409 otherwise: archive it) */
        delete: operations["deleteApiFormsById"];
        options?: never;
        head?: never;
        /** Change a form's name, draft or contact-update setting (the public page changes only when it is published) */
        patch: operations["patchApiFormsById"];
        trace?: never;
    };
    "/api/forms/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close a form: its public page answers "This form is closed"; its submissions stay */
        post: operations["postApiFormsByIdArchive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish the draft as the next version: the public page serves it from now on (also reopens an archived form) */
        post: operations["postApiFormsByIdPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/{id}/submissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A form's submissions, newest first; filter by status and by text in the answers (`q`) */
        get: operations["getApiFormsByIdSubmissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/{id}/submissions.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A form's submissions as CSV: a column per field of its latest version, then when, status, source url and utm_* */
        get: operations["getApiFormsByIdSubmissionsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A form's published versions, newest first */
        get: operations["getApiFormsByIdVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/public/{formId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A published form as its page shows it, with the form token to send it with (404 "This form is closed" once archived)
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        get: operations["getApiFormsPublicByFormId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/public/{formId}/submissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a form: the answers are checked against the version loaded (422 naming body.answers.<key>); answers what to show next
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiFormsPublicByFormIdSubmissions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forms/reports/submissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Form submissions (not spam) per day over the last `days` days, in the account's time zone */
        get: operations["getApiFormsReportsSubmissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Leads, newest first, filtered by status, category, city or business name */
        get: operations["getApiLeadsLeads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/leads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One lead */
        get: operations["getApiLeadsLeadsById"];
        put?: never;
        post?: never;
        /** Delete a lead (the notes of a converted lead stay with its contact) */
        delete: operations["deleteApiLeadsLeadsById"];
        options?: never;
        head?: never;
        /** Change a lead's details or status (CONVERTED only through conversion) */
        patch: operations["patchApiLeadsLeadsById"];
        trace?: never;
    };
    "/api/leads/leads/{id}/convert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn a lead into a contact (source "lead_conversion") and optionally a deal; its notes follow the contact */
        post: operations["postApiLeadsLeadsByIdConvert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/leads/places-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether lead searches use Google Places (live) or sample places (sandbox: no API key connected) */
        get: operations["getApiLeadsLeadsPlacesStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/leads/searches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Search Google Places for leads ("dentist in Austin, TX"); runs as a job whose progress GET /leads/searches/:id shows */
        post: operations["postApiLeadsLeadsSearches"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/leads/searches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A lead search's progress: status, processed, total, succeeded, and created/updated counts in result */
        get: operations["getApiLeadsLeadsSearchesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/leads/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the status of many leads; converted leads and ids that are not yours are left alone */
        post: operations["postApiLeadsLeadsStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lifecycle-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The installation's lifecycle jobs (prunes of expired and old rows) with their last run; admins only
         * @description Only ADMIN accounts.
         */
        get: operations["getApiLifecycleJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each channel, the provider that sends it (or would, once connected), and whether it sends for real or runs in sandbox mode */
        get: operations["getApiMessagingChannels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/contacts/{contactId}/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A contact's do-not-disturb per channel, and every change to it */
        get: operations["getApiMessagingContactsByContactIdConsent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/contacts/{contactId}/consent/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a contact's do-not-disturb on a channel (recorded with who and why) */
        put: operations["putApiMessagingContactsByContactIdConsentByChannel"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The inbox: conversations by last activity, with unread counts and the last message (or one contact's) */
        get: operations["getApiMessagingConversations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One conversation with its contact and unread count */
        get: operations["getApiMessagingConversationsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A conversation's messages, newest first */
        get: operations["getApiMessagingConversationsByIdMessages"];
        put?: never;
        /** Reply in a conversation, on its channel (queued; quiet hours may defer it) */
        post: operations["postApiMessagingConversationsByIdMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/conversations/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a conversation read up to now */
        post: operations["postApiMessagingConversationsByIdRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a message to a contact on a channel (queued; quiet hours may defer it) */
        post: operations["postApiMessagingMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One message with its delivery events */
        get: operations["getApiMessagingMessagesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/reports/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Messages per day over the last `days` days (the account's time zone), counted by channel, direction and status */
        get: operations["getApiMessagingReportsMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sandbox/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Simulate a message from a contact on a channel that runs in sandbox mode */
        post: operations["postApiMessagingSandboxInbound"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Quiet hours, the default time zone and send rates */
        get: operations["getApiMessagingSettings"];
        /** Change quiet hours, the default time zone or send rates */
        put: operations["putApiMessagingSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** In-app notifications, newest first */
        get: operations["getApiNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a notification read */
        post: operations["postApiNotificationsByIdRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/onboarding": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Onboarding progress and the company profile so far */
        get: operations["getApiOnboarding"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/onboarding/{step}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Save one onboarding step (steps go in order; earlier ones may be revisited) */
        put: operations["putApiOnboardingByStep"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document */
        get: operations["getApiOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/invoices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invoices, newest first; filter by status and contact */
        get: operations["getApiPaymentsInvoices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/invoices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An invoice with its lines and the payments made for it */
        get: operations["getApiPaymentsInvoicesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/invoices/{id}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Void an open invoice: its unpaid payments stop taking payments; 409 for a paid one */
        post: operations["postApiPaymentsInvoicesByIdVoid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Payments, newest first; filter by status, provider, contact and when they were made ([from, to)) */
        get: operations["getApiPaymentsPayments"];
        put?: never;
        /** Ask for a payment: an amount, or invoice lines (an invoice is made); answers the pay link. Send `Idempotency-Key` to make it once. */
        post: operations["postApiPaymentsPayments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/payments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A payment with its refunds, its invoice and its pay link */
        get: operations["getApiPaymentsPaymentsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/payments/{id}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund part or (without an amount) all of what is left of a paid payment; 409 when it is not paid or nothing is left, 422 for more than is left */
        post: operations["postApiPaymentsPaymentsByIdRefunds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/payments/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The payments the filters match, as a CSV file (newest first) */
        get: operations["getApiPaymentsPaymentsExportCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/public/pay/{payToken}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A payment as its pay page shows it: who asks, how much, for what (an invoice’s lines), and where it stands
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        get: operations["getApiPaymentsPublicPayByPayToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/public/pay/{payToken}/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand the payer to the provider's checkout (made once per payment); 409 when it is paid or expired
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiPaymentsPublicPayByPayTokenCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/public/pay/{payToken}/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The payer came back from the provider's checkout (with its query): completes the payment where the provider needs it; answers where it stands
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiPaymentsPublicPayByPayTokenReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/public/pay/{payToken}/sandbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sandbox payments only (no provider connected): simulate the payer paying, being declined or giving up
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiPaymentsPublicPayByPayTokenSandbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/revenue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Revenue per day, week or month ([from, to), the account's time zone), per currency: paid payments less their refunds, counted when paid */
        get: operations["getApiPaymentsRevenue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/workflow-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Workflow runs started per day (the account's time zone), with how many completed, failed or need review */
        get: operations["getApiReportsWorkflowRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The voice agents, newest first, with the state of each push to ElevenLabs */
        get: operations["getApiVoiceAgents"];
        put?: never;
        /** Create a voice agent; it is pushed to ElevenLabs (sandbox: kept here only) */
        post: operations["postApiVoiceAgents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/agents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A voice agent, with the state of its push to ElevenLabs */
        get: operations["getApiVoiceAgentsById"];
        put?: never;
        post?: never;
        /** Delete a voice agent (at ElevenLabs too); its calls stay in the log */
        delete: operations["deleteApiVoiceAgentsById"];
        options?: never;
        head?: never;
        /** Edit a voice agent (the fields given); the change is pushed to ElevenLabs */
        patch: operations["patchApiVoiceAgentsById"];
        trace?: never;
    };
    "/api/voice/agents/{id}/number": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Give the agent the tenant's Twilio number: imported into ElevenLabs and assigned to the agent; 409 when another agent has it */
        put: operations["putApiVoiceAgentsByIdNumber"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/agents/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a voice agent: it places no calls until resumed */
        post: operations["postApiVoiceAgentsByIdPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/agents/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused voice agent */
        post: operations["postApiVoiceAgentsByIdResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/agents/{id}/tool-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the secret ElevenLabs sends on the agent's tool calls (find slots, book): the old one stops working; the new one is pushed with the agent */
        post: operations["postApiVoiceAgentsByIdToolSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The call log, newest first; filter by status, direction, agent and contact */
        get: operations["getApiVoiceCalls"];
        put?: never;
        /** Call a contact with a voice agent: queued now, dialled at once or when the contact's quiet hours end. Send `Idempotency-Key` to call once. */
        post: operations["postApiVoiceCalls"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/calls/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A call with its transcript, summary and what the agent collected */
        get: operations["getApiVoiceCallsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/calls/{id}/recording": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A call's recording (audio), for the signed-in account: ElevenLabs' conversation audio fetched with the account's key, or a sandbox call's simulated one */
        get: operations["getApiVoiceCallsByIdRecording"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/tools/{tenant}/{agentId}/book": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The voice agent's book tool (ElevenLabs calls it with the agent's secret): books the caller, or answers taken with fresh times; a repeat in one conversation answers the same appointment
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiVoiceToolsByTenantByAgentIdBook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voice/tools/{tenant}/{agentId}/find_slots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The voice agent's find_slots tool (ElevenLabs calls it with the agent's secret): free times of an appointment type, worded for the agent
         * @description Public: no sign-in. The account is the one the URL names (404 when it names none).
         */
        post: operations["postApiVoiceToolsByTenantByAgentIdFindSlots"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secret outbound workflow webhooks are signed with (Soshogle-Signature header) */
        get: operations["getApiWebhookSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the webhook signing secret (receivers must switch to the new one) */
        post: operations["postApiWebhookSecretRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflow-executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run with its step log */
        get: operations["getApiWorkflowExecutionsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflow-executions/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decide on a run whose step was interrupted: run the step again, skip it, or stop the run */
        post: operations["postApiWorkflowExecutionsByIdReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Workflows, newest first */
        get: operations["getApiWorkflows"];
        put?: never;
        /** Create a workflow (a draft: publish it to make it run) */
        post: operations["postApiWorkflows"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A workflow: its draft, and which version is live */
        get: operations["getApiWorkflowsById"];
        /** Save the draft; runs keep using the published version until the next publish */
        put: operations["putApiWorkflowsById"];
        post?: never;
        /** Delete a workflow with its versions and runs */
        delete: operations["deleteApiWorkflowsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The path the workflow would take for a contact and what each step would do, with no side effects */
        post: operations["postApiWorkflowsByIdDryRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs of a workflow, newest first */
        get: operations["getApiWorkflowsByIdExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish the draft as a new version and make the workflow live */
        post: operations["postApiWorkflowsByIdPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start the published workflow for contacts: by id, by tags, or all contacts */
        post: operations["postApiWorkflowsByIdStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn a published workflow on (ACTIVE) or off (INACTIVE); runs in flight continue */
        post: operations["postApiWorkflowsByIdStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workflows/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Published versions, newest first */
        get: operations["getApiWorkflowsByIdVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    workflowWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The "send webhook" workflow step
         * @description A workflow step POSTs (or PUTs, PATCHes) the JSON body the marketer configured to your URL. `Soshogle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` signs it with the workflow's signing secret (check the timestamp is recent and compare in constant time); `Idempotency-Key` stays the same across retries of one delivery. Any 2xx answer counts as delivered.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    "Idempotency-Key": string;
                    "Soshogle-Signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": unknown;
                };
            };
            responses: {
                /** @description Delivered */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description A personal API key, without the key itself */
        ApiKey: {
            /** Format: date-time */
            createdAt: string;
            id: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            /** @enum {string} */
            scope: "READ" | "WRITE";
        };
        /** @description An appointment on a calendar */
        Appointment: {
            answers: unknown;
            appointmentTypeId: string | null;
            /** Format: date-time */
            blockEnd: string;
            /** Format: date-time */
            blockStart: string;
            calendarId: string | null;
            calendarProvider: string | null;
            cancelledAt: string | null;
            cancelReason: string | null;
            contact: components["schemas"]["AppointmentContact"];
            contactId: string | null;
            /** Format: date-time */
            createdAt: string;
            description: string | null;
            /** Format: date-time */
            endTime: string;
            externalEventId: string | null;
            id: string;
            location: string | null;
            paymentDueAt: string | null;
            paymentId: string | null;
            paymentStatus: string | null;
            source: string;
            /** Format: date-time */
            startTime: string;
            /** @enum {string} */
            status: "SCHEDULED" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
            timezone: string;
            title: string;
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        /** @description Who the appointment is with */
        AppointmentContact: {
            email: string | null;
            firstName: string;
            id: string;
            lastName: string | null;
            phone: string | null;
        } | null;
        /** @description What can be booked on a calendar: its length, buffers, notice, questions and reminders */
        AppointmentType: {
            active: boolean;
            bufferAfterMin: number;
            bufferBeforeMin: number;
            calendarId: string;
            /** Format: date-time */
            createdAt: string;
            currency: string | null;
            dailyLimit: number | null;
            description: string | null;
            durationMin: number;
            id: string;
            isPublic: boolean;
            location: string | null;
            locationKind: string;
            maxAdvanceDays: number;
            minNoticeMin: number;
            name: string;
            paymentHoldMinutes: number | null;
            position: number;
            price: string | null;
            questions: {
                id: string;
                /** @enum {string} */
                kind: "text" | "textarea" | "select";
                label: string;
                options?: string[];
                required: boolean;
            }[];
            reminders: {
                /** @enum {string} */
                channel: "EMAIL" | "SMS" | "WHATSAPP";
                offsetMin: number;
            }[];
            slotIntervalMin: number | null;
            slug: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A security event of the account */
        AuditEntry: {
            action: string;
            actorId: string | null;
            /** Format: date-time */
            createdAt: string;
            details: {
                [key: string]: unknown;
            } | null;
            id: string;
            ip: string | null;
            userAgent: string | null;
            userId: string;
        };
        /** @description One date's hours, replacing its weekly hours */
        AvailabilityOverride: {
            /** @description YYYY-MM-DD, in the calendar's zone */
            date: string;
            note: string | null;
            windows: {
                endMinute: number;
                startMinute: number;
            }[];
        };
        /** @description A calendar (a person or a resource) with its weekly hours */
        Calendar: {
            archivedAt: string | null;
            bookingEnabled: boolean;
            color: string | null;
            consentText: string | null;
            /** Format: date-time */
            createdAt: string;
            hours: components["schemas"]["CalendarHours"][];
            id: string;
            /** @enum {string} */
            kind: "PERSON" | "RESOURCE";
            name: string;
            pageIntro: string | null;
            pageTitle: string | null;
            publicSlug: string;
            timeZone: string;
            /** Format: date-time */
            updatedAt: string;
            writeTargetId: string | null;
        };
        /** @description A connected calendar account and its calendars */
        CalendarConnection: {
            accountEmail: string | null;
            brokenAt: string | null;
            brokenReason: string | null;
            /** Format: date-time */
            createdAt: string;
            externalCalendars: components["schemas"]["ExternalCalendar"][];
            id: string;
            lastSyncedAt: string | null;
            provider: string;
            /** @enum {string} */
            status: "PENDING" | "ACTIVE" | "BROKEN" | "SANDBOX";
            syncEnabled: boolean;
        };
        /** @description A connection under way: the consent page to open */
        CalendarConnectionStart: {
            authorizeUrl: string | null;
            connection: components["schemas"]["CalendarConnection"];
        };
        /** @description Weekly opening hours: minutes of the day in the calendar's zone */
        CalendarHours: {
            endMinute: number;
            startMinute: number;
            weekday: number;
        };
        /** @description Where a calendar writes its appointments */
        CalendarWriteTarget: {
            calendarId: string;
            writeTargetId: string | null;
        };
        /** @description A phone call with a voice agent, inbound or outbound */
        Call: {
            agentId: string | null;
            callSid: string | null;
            collectedData: {
                [key: string]: unknown;
            };
            contactId: string | null;
            conversationId: string | null;
            /** Format: date-time */
            createdAt: string;
            dialAt: string | null;
            /** @enum {string} */
            direction: "INBOUND" | "OUTBOUND";
            /** @description Seconds */
            duration: number | null;
            endedAt: string | null;
            error: string | null;
            from: string;
            id: string;
            needsReview: boolean;
            outcome: string | null;
            rawStatus: string | null;
            recordingUrl: string | null;
            sandbox: boolean;
            startedAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "RINGING" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "BUSY" | "NO_ANSWER" | "VOICEMAIL";
            summary: string | null;
            to: string;
        };
        /** @description A call with its transcript, turn by turn */
        CallDetail: {
            agentId: string | null;
            callSid: string | null;
            collectedData: {
                [key: string]: unknown;
            };
            contactId: string | null;
            conversationId: string | null;
            /** Format: date-time */
            createdAt: string;
            dialAt: string | null;
            /** @enum {string} */
            direction: "INBOUND" | "OUTBOUND";
            /** @description Seconds */
            duration: number | null;
            endedAt: string | null;
            error: string | null;
            from: string;
            id: string;
            needsReview: boolean;
            outcome: string | null;
            rawStatus: string | null;
            recordingUrl: string | null;
            sandbox: boolean;
            startedAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "RINGING" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "BUSY" | "NO_ANSWER" | "VOICEMAIL";
            summary: string | null;
            to: string;
            transcript: {
                message: string | null;
                role: string;
                timeInCallSecs: number | null;
            }[];
        };
        /** @description A phone call in a conversation: how it ended, the transcript turn by turn and the recording */
        CallEntry: {
            /** @description The call's id in the voice plugin (GET /api/voice/calls/:id) */
            callId: string;
            /** @description Seconds */
            duration: number | null;
            /** @description The agent's judgement of the call: success, failure or unknown */
            outcome: string | null;
            /** @description Where the recording plays for the signed-in account (e.g. /api/voice/calls/:id/recording); null: none */
            recordingUrl: string | null;
            /** @enum {string} */
            status: "COMPLETED" | "VOICEMAIL" | "BUSY" | "NO_ANSWER" | "FAILED";
            summary: string | null;
            /** @description Turn by turn, in order */
            transcript: {
                /** @description Seconds into the call */
                atSecond: number | null;
                /**
                 * @description agent: the AI agent; user: the person on the phone
                 * @enum {string}
                 */
                role: "agent" | "user";
                text: string;
            }[];
        };
        /** @description An email or SMS sent to every contact with some tags or in a smart list */
        Campaign: {
            bounceCount: number;
            cancelledAt: string | null;
            clickCount: number;
            completedAt: string | null;
            /** Format: date-time */
            createdAt: string;
            deliveredCount: number;
            failedCount: number;
            /** @description An email: the HTML body template */
            html: string | null;
            id: string;
            /** @description The text body (a Liquid template) */
            message: string;
            /** @description Exact counts now (GET /campaigns/{id}); the *Count fields are refreshed a few seconds behind */
            metrics?: components["schemas"]["CampaignMetrics"];
            name: string;
            openCount: number;
            recipientCount: number;
            scheduledAt: string | null;
            /** @description When sending started */
            sentAt: string | null;
            sentCount: number;
            skippedCount: number;
            smartListId: string | null;
            /** @enum {string} */
            status: "DRAFT" | "SCHEDULED" | "ACTIVE" | "COMPLETED" | "CANCELLED";
            subject: string | null;
            targetTags: string[];
            /** @enum {string} */
            type: "EMAIL" | "SMS";
            unsubscribeCount: number;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A campaign's exact counts from its recipients, with rates against the messages sent */
        CampaignMetrics: {
            bounced: number;
            /** @description 0 to 1 */
            bounceRate: number;
            cancelled: number;
            clicked: number;
            /** @description 0 to 1 */
            clickRate: number;
            delivered: number;
            /** @description 0 to 1 */
            deliveryRate: number;
            failed: number;
            opened: number;
            /** @description 0 to 1 */
            openRate: number;
            queued: number;
            recipients: number;
            sent: number;
            /** @description Do-not-disturb or no address: never sent */
            skipped: number;
            unsubscribed: number;
            /** @description 0 to 1 */
            unsubscribeRate: number;
        };
        /** @description One contact of a campaign: its status and when each thing happened */
        CampaignRecipient: {
            bouncedAt: string | null;
            campaignId: string;
            clickedAt: string | null;
            /** @description Null once the contact was deleted */
            contact: {
                email: string | null;
                firstName: string | null;
                id: string;
                lastName: string | null;
                phone: string | null;
            } | null;
            contactId: string;
            deliveredAt: string | null;
            failedAt: string | null;
            id: string;
            messageId: string | null;
            openedAt: string | null;
            /** Format: date-time */
            queuedAt: string;
            /** @description Why it was skipped, failed or bounced */
            reason: string | null;
            /** @description Quiet hours hold it until then */
            sendAfter: string | null;
            sentAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "SKIPPED" | "SENT" | "DELIVERED" | "OPENED" | "CLICKED" | "BOUNCED" | "FAILED" | "CANCELLED";
            unsubscribedAt: string | null;
        };
        /** @description Every enabled plugin with its screens, triggers, actions and capabilities */
        Catalog: {
            plugins: {
                actions: components["schemas"]["CatalogAction"][];
                capabilities: {
                    description: string;
                    displayName: string;
                    key: string;
                    providers: {
                        displayName: string;
                        plugin: string;
                        provider: string;
                    }[];
                }[];
                dependsOn: string[];
                description: string;
                displayName: string;
                name: string;
                providers: {
                    displayName: string;
                    provider: string;
                    serves: string[];
                }[];
                screens: components["schemas"]["Screen"][];
                triggers: components["schemas"]["CatalogTrigger"][];
            }[];
            stepSchema: {
                [key: string]: unknown;
            };
        };
        /** @description A step a workflow can take */
        CatalogAction: {
            description: string;
            displayName: string;
            idempotent: boolean;
            key: string;
            outputSchema: {
                [key: string]: unknown;
            };
            propsSchema: {
                [key: string]: unknown;
            };
            version: number;
        };
        /** @description An event a workflow can start on */
        CatalogTrigger: {
            description: string;
            displayName: string;
            filterSchema: {
                [key: string]: unknown;
            };
            key: string;
            payloadSchema: {
                [key: string]: unknown;
            };
        };
        /** @description A provider a plugin connects to, with the tenant's credentials for it */
        Connection: {
            credentials: {
                [key: string]: string;
            } | null;
            description: string;
            displayName: string;
            /**
             * @description live: credentials are saved; sandbox: nothing leaves this server
             * @enum {string}
             */
            mode: "live" | "sandbox";
            plugin: string;
            provider: string;
            schema: {
                [key: string]: unknown;
            };
            serves: string[];
            updatedAt: string | null;
        };
        /** @description A contact's do-not-disturb per channel, and its changes */
        Consent: {
            channels: {
                [key: string]: {
                    doNotDisturb: boolean;
                };
            };
            /** @description Newest first, at most 200 */
            history: components["schemas"]["ConsentChange"][];
        };
        /** @description A change of a contact's do-not-disturb on a channel, with who or what made it and why */
        ConsentChange: {
            /** @description The user who made it, when a person did */
            actorId: string | null;
            /** @enum {string} */
            channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
            contactId: string;
            /** Format: date-time */
            createdAt: string;
            doNotDisturb: boolean;
            /** @description Where and how it was given: { formId, submissionId, sourceUrl, ipPrefix } */
            evidence: unknown;
            id: string;
            /** @description The message that caused it, when one did */
            messageId: string | null;
            reason: string;
            /** @description keyword, unsubscribe_link, unsubscribe, spam_report, bounce, user, api, form */
            source: string;
            /** @description What the person agreed to, word for word (an opt-in on a form) */
            wording: string | null;
        };
        /** @description A person in the CRM */
        Contact: {
            company: string | null;
            /** Format: date-time */
            createdAt: string;
            customFields: {
                [key: string]: unknown;
            } | null;
            email: string | null;
            firstName: string;
            id: string;
            lastName: string | null;
            phone: string | null;
            source: string | null;
            tags: string[];
            /** Format: date-time */
            updatedAt: string;
            userId: string;
        };
        /** @description What erasing a contact removed, kept and queued at providers, per plugin's part */
        ContactErasureReport: {
            alreadyErased: boolean;
            contactId: string;
            /** Format: date-time */
            erasedAt: string;
            parts: {
                erased: {
                    [key: string]: number;
                };
                kept: string[];
                part: string;
                providers: {
                    count: number;
                    /** @enum {string} */
                    outcome: "delete_queued" | "not_possible";
                    provider: string;
                    reason?: string;
                    record: string;
                }[];
            }[];
        };
        /** @description Which contacts: every condition given must hold */
        ContactFilter: {
            /** Format: date-time */
            createdAfter?: string;
            /** Format: date-time */
            createdBefore?: string;
            customFields?: {
                [key: string]: string | number | boolean;
            };
            q?: string;
            source?: string;
            tagsAll?: string[];
            tagsAny?: string[];
            tagsNone?: string[];
            /** Format: date-time */
            updatedAfter?: string;
            /** Format: date-time */
            updatedBefore?: string;
        };
        /** @description A record of a contact merged into another */
        ContactMerge: {
            actorId: string | null;
            /** Format: date-time */
            createdAt: string;
            id: string;
            keptContactId: string;
            mergedContact: {
                [key: string]: unknown;
            };
            mergedContactId: string;
            userId: string;
        };
        /** @description Contacts added per day */
        ContactsReport: {
            added: number;
            days: {
                count: number;
                day: string;
            }[];
            from: string | null;
            timezone: string;
            to: string | null;
            total: number;
        };
        /** @description A contact's thread on one channel */
        Conversation: {
            /** @description The contact's address on the channel: a phone number, an email address, or Meta's id for the person */
            address: string | null;
            /** @enum {string} */
            channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
            contact: components["schemas"]["ConversationContact"];
            contactId: string;
            /** Format: date-time */
            createdAt: string;
            id: string;
            /** @description WhatsApp allows free-form replies for 24 hours after it */
            lastInboundAt: string | null;
            /** @description The newest message (in the inbox list) */
            lastMessage?: components["schemas"]["Message"] | null;
            lastMessageAt: string | null;
            lastReadAt: string | null;
            /** @description Inbound messages since it was last read */
            unreadCount: number;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description Who a conversation is with */
        ConversationContact: {
            email: string | null;
            firstName: string | null;
            id: string;
            lastName: string | null;
            phone: string | null;
        };
        /** @description Long-running CRM work (a bulk action, a CSV import, a lead search) and its progress */
        CrmJob: {
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            failed: number;
            finishedAt: string | null;
            id: string;
            /** @enum {string} */
            kind: "BULK_ACTION" | "CONTACT_IMPORT" | "LEAD_SEARCH";
            params: unknown;
            processed: number;
            result: {
                changed?: number;
                created?: number;
                lastId?: string | null;
                lastRow?: number;
                skipped?: number;
                updated?: number;
            } | null;
            startedAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED";
            succeeded: number;
            total: number | null;
            userId: string;
        };
        /** @description An item a CRM job could not process */
        CrmJobError: {
            field: string | null;
            item: number;
            message: string;
        };
        /** @description An uploaded CSV of contacts, waiting for its column mapping */
        CsvUpload: {
            sample: {
                [key: string]: string;
            }[];
            suggestedMapping: {
                [key: string]: string | null;
            };
            upload: {
                /** Format: date-time */
                createdAt: string;
                fileName: string;
                headers: string[];
                id: string;
                rowCount: number;
            };
        };
        /** @description A tenant's definition of a contact custom field; values live in Contact.customFields under its key */
        CustomField: {
            /** Format: date-time */
            createdAt: string;
            id: string;
            key: string;
            label: string;
            options: string[];
            required: boolean;
            /** @enum {string} */
            type: "TEXT" | "NUMBER" | "DATE" | "SELECT" | "MULTI_SELECT" | "BOOLEAN";
            /** Format: date-time */
            updatedAt: string;
            userId: string;
        };
        /** @description A deal with its contacts, the primary first */
        Deal: {
            actualCloseDate: string | null;
            contacts: components["schemas"]["DealContact"][];
            /** Format: date-time */
            createdAt: string;
            currency: string;
            description: string | null;
            expectedCloseDate: string | null;
            id: string;
            probability: number;
            /** @enum {string} */
            stage: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
            title: string;
            /** Format: date-time */
            updatedAt: string;
            value: string;
        };
        /** @description The pipeline: every stage in order with its totals and most recent deals */
        DealBoard: {
            stages: {
                count: number;
                currency: string | null;
                deals: components["schemas"]["DealCard"][];
                /** @enum {string} */
                stage: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
                totals: {
                    count: number;
                    currency: string;
                    value: string;
                    weightedValue: string;
                }[];
                value: string | null;
                weightedValue: string | null;
            }[];
        };
        /** @description A deal with its primary contact, as lists and the board show it */
        DealCard: {
            actualCloseDate: string | null;
            /** Format: date-time */
            createdAt: string;
            currency: string;
            description: string | null;
            expectedCloseDate: string | null;
            id: string;
            primaryContact: components["schemas"]["DealContactName"] | null;
            probability: number;
            /** @enum {string} */
            stage: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
            title: string;
            /** Format: date-time */
            updatedAt: string;
            value: string;
        };
        /** @description A contact on a deal */
        DealContact: {
            company: string | null;
            email: string | null;
            firstName: string;
            id: string;
            isPrimary: boolean;
            lastName: string | null;
            phone: string | null;
        };
        /** @description A contact on a deal, by name */
        DealContactName: {
            firstName: string;
            id: string;
            lastName: string | null;
        };
        /** @description The path a workflow would take for a contact, with no side effects */
        DryRun: {
            starts: boolean;
            steps: {
                action?: string;
                description: string;
                error?: string;
                name?: string;
                props?: unknown;
                result?: unknown;
                stepId: string;
                /** @enum {string} */
                type: "action" | "branch" | "wait" | "goal" | "end";
            }[];
        };
        /** @description A contact of a duplicate group */
        DuplicateContact: {
            /** Format: date-time */
            createdAt: string;
            email: string | null;
            firstName: string;
            id: string;
            lastName: string | null;
            phone: string | null;
        };
        /** @description Contacts sharing an email or a phone number */
        DuplicateGroup: {
            contacts: components["schemas"]["DuplicateContact"][];
            /** @enum {string} */
            match: "email" | "phone";
            size: number;
            value: string;
        };
        /** @description A calendar of a connected Google, Microsoft or Apple account */
        ExternalCalendar: {
            allDayBlocks: boolean;
            blocksCalendarId: string | null;
            connectionId: string;
            id: string;
            lastSyncedAt: string | null;
            name: string;
            pushUntil: string | null;
            remoteId: string;
            remoteTimeZone: string | null;
            syncError: string | null;
        };
        /** @description A form: its editable draft and the version the public page serves */
        Form: {
            /** Format: date-time */
            createdAt: string;
            draft: {
                /**
                 * @default {
                 *       "kind": "message",
                 *       "message": "Thank you!"
                 *     }
                 */
                after: {
                    /** @constant */
                    kind: "message";
                    message: string;
                } | {
                    /** @constant */
                    kind: "redirect";
                    /** Format: uri */
                    url: string;
                };
                consent?: {
                    email: boolean;
                    sms: boolean;
                    wording: string;
                };
                description?: string;
                fields: {
                    help?: string;
                    hiddenValue?: string;
                    key: string;
                    label: string;
                    mapsTo?: {
                        /** @enum {string} */
                        contact: "firstName" | "lastName" | "email" | "phone" | "company";
                    } | {
                        customField: string;
                    };
                    options?: string[];
                    placeholder?: string;
                    /** @default false */
                    required: boolean;
                    /** @enum {string} */
                    type: "text" | "textarea" | "email" | "phone" | "select" | "multi_select" | "checkbox" | "date" | "hidden";
                }[];
                /** @default Submit */
                submitLabel: string;
                /** @default [] */
                tags: string[];
                title: string;
            };
            /** @description The script tag that embeds the form on another site */
            embedCode: string;
            id: string;
            name: string;
            /** @description The hosted page: <PUBLIC_URL>/f/<id> */
            publicUrl: string;
            publishedVersion: {
                /** Format: date-time */
                createdAt: string;
                id: string;
                version: number;
            } | null;
            /** @enum {string} */
            status: "DRAFT" | "PUBLISHED" | "ARCHIVED";
            /** Format: date-time */
            updatedAt: string;
            updateExistingContacts: boolean;
        };
        /** @description A form in the list, with its published version and how many submissions it has */
        FormListItem: {
            id: string;
            name: string;
            /** @enum {string} */
            status: "DRAFT" | "PUBLISHED" | "ARCHIVED";
            submissions: number;
            /** Format: date-time */
            updatedAt: string;
            /** @description The published version number, null before the first publish */
            version: number | null;
        };
        /** @description What a visitor sent, and the contact it became */
        FormSubmission: {
            answers: {
                [key: string]: string | string[] | boolean;
            };
            contact: {
                email: string | null;
                id: string;
                name: string;
            } | null;
            contactId: string | null;
            /** Format: date-time */
            createdAt: string;
            id: string;
            sourceUrl: string | null;
            spamReason: string | null;
            /** @enum {string} */
            status: "RECEIVED" | "PROCESSED" | "SPAM" | "FAILED";
            utm: {
                utm_campaign?: string;
                utm_content?: string;
                utm_medium?: string;
                utm_source?: string;
                utm_term?: string;
            };
            version: number;
        };
        /** @description Form submissions per day in the account time zone */
        FormSubmissionsReport: {
            byDay: {
                count: number;
                date: string;
            }[];
            timezone: string;
            /** @description Submissions (not spam) in the range */
            total: number;
        };
        /** @description What the visitor sees next */
        FormSubmitted: {
            after: {
                /** @constant */
                kind: "message";
                message: string;
            } | {
                /** @constant */
                kind: "redirect";
                /** Format: uri */
                url: string;
            };
        };
        /** @description A published, unchangeable version of a form */
        FormVersion: {
            /** Format: date-time */
            createdAt: string;
            definition: {
                /**
                 * @default {
                 *       "kind": "message",
                 *       "message": "Thank you!"
                 *     }
                 */
                after: {
                    /** @constant */
                    kind: "message";
                    message: string;
                } | {
                    /** @constant */
                    kind: "redirect";
                    /** Format: uri */
                    url: string;
                };
                consent?: {
                    email: boolean;
                    sms: boolean;
                    wording: string;
                };
                description?: string;
                fields: {
                    help?: string;
                    hiddenValue?: string;
                    key: string;
                    label: string;
                    mapsTo?: {
                        /** @enum {string} */
                        contact: "firstName" | "lastName" | "email" | "phone" | "company";
                    } | {
                        customField: string;
                    };
                    options?: string[];
                    placeholder?: string;
                    /** @default false */
                    required: boolean;
                    /** @enum {string} */
                    type: "text" | "textarea" | "email" | "phone" | "select" | "multi_select" | "checkbox" | "date" | "hidden";
                }[];
                /** @default Submit */
                submitLabel: string;
                /** @default [] */
                tags: string[];
                title: string;
            };
            id: string;
            version: number;
        };
        /** @description An invoice: numbered lines and a due date, paid through a payment */
        Invoice: {
            contactId: string | null;
            /** Format: date-time */
            createdAt: string;
            currency: string;
            dueDate: string | null;
            id: string;
            label: string;
            lines: components["schemas"]["InvoiceLine"][];
            memo: string | null;
            number: number;
            /** @enum {string} */
            status: "OPEN" | "PAID" | "VOID";
            total: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description An invoice with the payments made for it */
        InvoiceDetail: {
            contactId: string | null;
            /** Format: date-time */
            createdAt: string;
            currency: string;
            dueDate: string | null;
            id: string;
            label: string;
            lines: components["schemas"]["InvoiceLine"][];
            memo: string | null;
            number: number;
            payments: components["schemas"]["Payment"][];
            /** @enum {string} */
            status: "OPEN" | "PAID" | "VOID";
            total: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description One line of an invoice */
        InvoiceLine: {
            description: string;
            position: number;
            quantity: number;
            unitAmount: string;
        };
        /** @description A business found on Google Places (or entered), worked through statuses until converted into a contact */
        Lead: {
            address: string;
            businessName: string;
            /** @description "dentist", "restaurant", "salon", ... */
            category: string;
            city: string;
            /** @description ISO 3166 two-letter code */
            country: string;
            /** Format: date-time */
            createdAt: string;
            email: string | null;
            googlePlaceId: string | null;
            id: string;
            /** @description E.164 */
            phone: string | null;
            /** @description The review score on Google */
            rating: number | null;
            reviewCount: number | null;
            /** @description google_places, manual, import */
            source: string;
            state: string;
            /** @enum {string} */
            status: "NEW" | "CONTACTED" | "QUALIFIED" | "CONVERTED" | "REJECTED";
            /** Format: date-time */
            updatedAt: string;
            website: string | null;
            zipCode: string;
        };
        /** @description What converting a lead made */
        LeadConversion: {
            /** @description The contact made, in brief (GET /crm/contacts/{id} has the rest) */
            contact: {
                email: string | null;
                firstName: string | null;
                id: string;
                lastName: string | null;
                phone: string | null;
            };
            /** @description The deal opened, in brief, if one was asked for */
            deal: {
                currency: string;
                id: string;
                /** @enum {string} */
                stage: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
                title: string;
                value: string;
            } | null;
            lead: components["schemas"]["Lead"];
        };
        /** @description A Google Places search for leads, run as a job */
        LeadSearch: {
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            failed: number;
            finishedAt: string | null;
            id: string;
            /** @description What was asked, and whether it runs against sample places (sandbox) */
            params: {
                location?: {
                    latitude: number;
                    longitude: number;
                };
                /** @default 60 */
                maxResults: number;
                query: string;
                radiusMeters?: number;
                sandbox: boolean;
            } | null;
            processed: number;
            /** @description Progress: pages read, leads created and updated, places skipped */
            result: {
                created?: number;
                done?: boolean;
                nextPageToken?: string | null;
                pages?: number;
                sandbox?: boolean;
                skipped?: number;
                updated?: number;
            } | null;
            startedAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED";
            succeeded: number;
            /** @description The most it can bring until done; then what it brought */
            total: number | null;
        };
        /** @description Another contact with the same email or phone, and which of them it shares */
        LikelyDuplicate: {
            /** Format: date-time */
            createdAt: string;
            email: string | null;
            firstName: string;
            id: string;
            lastName: string | null;
            matchedOn: ("email" | "phone")[];
            phone: string | null;
        };
        /** @description A booking as its manage link shows it */
        ManagedBooking: {
            appointmentId: string;
            calendarName: string;
            canCancel: boolean;
            canReschedule: boolean;
            /** Format: date-time */
            end: string;
            location: string | null;
            pageSlug: string;
            /** Format: date-time */
            start: string;
            status: string;
            /** @description The calendar's zone */
            timeZone: string;
            typeName: string;
            typeSlug: string | null;
        };
        /** @description An SMS, email, WhatsApp, Messenger or Instagram message, sent or received */
        Message: {
            /** @description A call entry (VOICE): the call's outcome, transcript and recording (not in the conversation list's lastMessage) */
            call?: components["schemas"]["CallEntry"] | null;
            /** @enum {string} */
            channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
            contactId: string | null;
            /** @description The text (an email: its text body) */
            content: string;
            conversationId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** @enum {string} */
            direction: "INBOUND" | "OUTBOUND";
            /** @description Why it failed, in the provider's words */
            error: string | null;
            /** @description Its delivery events, oldest first (where the route reads them) */
            events?: components["schemas"]["MessageEvent"][];
            from: string;
            /** @description An email: its HTML body */
            html: string | null;
            id: string;
            /** @description The provider was called but its answer never came: it is not sent again */
            needsReview: boolean;
            /** @description The provider that sent it (e.g. twilio); null for inbound and sandbox messages */
            provider: string | null;
            /** @description The provider's id for it; a call entry (VOICE): the call's id in the voice plugin (GET /api/voice/calls/:id) */
            providerMessageId: string | null;
            /** @description Recorded in sandbox mode (no provider connected): never sent */
            sandbox: boolean;
            /** @description Quiet hours hold it until then */
            sendAfter: string | null;
            /** @enum {string} */
            status: "QUEUED" | "SENT" | "DELIVERED" | "READ" | "FAILED" | "CANCELLED";
            subject: string | null;
            to: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description What happened to a message after it left, as its provider reported it */
        MessageEvent: {
            /** @description The provider's details (the URL clicked, the bounce reason), or null */
            data: unknown;
            /** Format: date-time */
            occurredAt: string;
            /** @description delivered, open, click, bounce, dropped, spamreport, unsubscribe, failed, read */
            type: string;
        };
        /** @description Messages per day in the account's time zone, by channel, direction and status */
        MessagesReport: {
            /** @description Every day from `from` to `to` */
            days: string[];
            /** @description The first day, YYYY-MM-DD */
            from: string;
            rows: {
                /** @enum {string} */
                channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
                count: number;
                day: string;
                /** @enum {string} */
                direction: "INBOUND" | "OUTBOUND";
                /** @enum {string} */
                status: "QUEUED" | "SENT" | "DELIVERED" | "READ" | "FAILED" | "CANCELLED";
            }[];
            timezone: string;
            /** @description Today, YYYY-MM-DD */
            to: string;
            totals: {
                failed: number;
                inbound: number;
                outbound: number;
            };
        };
        /** @description A channel and how it sends */
        MessagingChannel: {
            /** @enum {string} */
            channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM";
            /** @enum {string} */
            mode: "live" | "sandbox";
            /** @description The provider that sends it, or would once connected; null when no enabled plugin offers one */
            provider: string | null;
            /** @description Every enabled provider that can serve the channel */
            providers: string[];
        };
        /** @description The sending policy: quiet hours, time zone and send rates */
        MessagingSettings: {
            quietHoursEnabled: boolean;
            quietHoursEnd: string;
            /** @description HH:MM in the contact's time zone */
            quietHoursStart: string;
            /** @description Sends per second by provider, e.g. { "twilio": 1 }; null: the defaults */
            sendRates: {
                [key: string]: number;
            } | null;
            /** @description For contacts without one; null: the account's */
            timezone: string | null;
        };
        /** @description A note on a contact, a deal or a lead */
        Note: {
            authorId: string | null;
            contactId: string | null;
            content: string;
            /** Format: date-time */
            createdAt: string;
            dealId: string | null;
            id: string;
            leadId: string | null;
            /** Format: date-time */
            updatedAt: string;
            userId: string;
        };
        /** @description An in-app notification */
        Notification: {
            body: string | null;
            /** Format: date-time */
            createdAt: string;
            id: string;
            link: string | null;
            readAt: string | null;
            source: string | null;
            title: string;
            userId: string;
        };
        /** @description Onboarding progress and the company profile so far */
        Onboarding: {
            complete: boolean;
            profile: {
                businessDescription: string | null;
                businessLanguage: string | null;
                businessName: string | null;
                companyAddress: string | null;
                industry: string | null;
                timezone: string;
                website: string | null;
            };
            step: number;
            steps: {
                done: boolean;
                index: number;
                /** @enum {string} */
                name: "business" | "location" | "about";
            }[];
        };
        /** @description A payment request and where it stands */
        Payment: {
            amount: string;
            amountRefunded: string;
            checkoutId: string | null;
            contactId: string | null;
            /** Format: date-time */
            createdAt: string;
            currency: string;
            description: string | null;
            expiresAt: string | null;
            failedAt: string | null;
            failureReason: string | null;
            id: string;
            invoiceId: string | null;
            needsReview: boolean;
            paidAt: string | null;
            paypalOrderId: string | null;
            payUrl: string;
            /** @enum {string} */
            provider: "STRIPE" | "PAYPAL" | "SQUARE";
            refundedAt: string | null;
            sandbox: boolean;
            source: string;
            squarePaymentId: string | null;
            /** @enum {string} */
            status: "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "REFUNDED";
            stripePaymentIntentId: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description Where the payer goes to pay: the provider's checkout */
        PaymentCheckout: {
            url: string;
        };
        /** @description A payment with its refunds and its invoice */
        PaymentDetail: {
            amount: string;
            amountRefunded: string;
            checkoutId: string | null;
            contactId: string | null;
            /** Format: date-time */
            createdAt: string;
            currency: string;
            description: string | null;
            expiresAt: string | null;
            failedAt: string | null;
            failureReason: string | null;
            id: string;
            invoice: components["schemas"]["Invoice"] | null;
            invoiceId: string | null;
            needsReview: boolean;
            paidAt: string | null;
            paypalOrderId: string | null;
            payUrl: string;
            /** @enum {string} */
            provider: "STRIPE" | "PAYPAL" | "SQUARE";
            refundedAt: string | null;
            refunds: components["schemas"]["PaymentRefund"][];
            sandbox: boolean;
            source: string;
            squarePaymentId: string | null;
            /** @enum {string} */
            status: "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "REFUNDED";
            stripePaymentIntentId: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A refund of part or all of a payment */
        PaymentRefund: {
            amount: string;
            /** Format: date-time */
            createdAt: string;
            failureReason: string | null;
            id: string;
            needsReview: boolean;
            paymentId: string;
            processedAt: string | null;
            providerRefundId: string | null;
            reason: string | null;
            requestedBy: string | null;
            /** @enum {string} */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
        };
        /** @description Deals and their value per stage, one total per currency */
        PipelineReport: {
            stages: {
                count: number;
                /** @enum {string} */
                stage: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
                totals: {
                    count: number;
                    currency: string;
                    value: string;
                }[];
            }[];
        };
        /** @description RFC 9457 problem details. Refusals that concern fields list them in `errors`, with dotted paths (`body.email`, `query.cursor`). */
        Problem: {
            detail?: string;
            errors?: {
                field: string;
                message: string;
            }[];
            instance?: string;
            requestId?: string;
            status: number;
            title: string;
            type: string;
        };
        /** @description A booking made on the public page, with its reschedule/cancel link (and its pay link for a type with a price) */
        PublicBooking: {
            appointmentId: string;
            /** Format: date-time */
            end: string;
            manageUrl: string;
            paymentDueAt: string | null;
            payUrl: string | null;
            /** Format: date-time */
            start: string;
        };
        /** @description A calendar's public booking page: its public, active appointment types */
        PublicBookingPage: {
            consentText: string | null;
            intro: string | null;
            name: string;
            timeZone: string;
            title: string | null;
            types: {
                currency: string | null;
                description: string | null;
                durationMin: number;
                locationKind: string;
                name: string;
                paymentHoldMinutes: number | null;
                price: string | null;
                questions: {
                    id: string;
                    /** @enum {string} */
                    kind: "text" | "textarea" | "select";
                    label: string;
                    options?: string[];
                    /** @default false */
                    required: boolean;
                }[];
                slug: string;
            }[];
        };
        /** @description A published form as its public page shows it, with the token to send it with */
        PublicForm: {
            definition: {
                /**
                 * @default {
                 *       "kind": "message",
                 *       "message": "Thank you!"
                 *     }
                 */
                after: {
                    /** @constant */
                    kind: "message";
                    message: string;
                } | {
                    /** @constant */
                    kind: "redirect";
                    /** Format: uri */
                    url: string;
                };
                consent?: {
                    email: boolean;
                    sms: boolean;
                    wording: string;
                };
                description?: string;
                fields: {
                    help?: string;
                    hiddenValue?: string;
                    key: string;
                    label: string;
                    mapsTo?: {
                        /** @enum {string} */
                        contact: "firstName" | "lastName" | "email" | "phone" | "company";
                    } | {
                        customField: string;
                    };
                    options?: string[];
                    placeholder?: string;
                    /** @default false */
                    required: boolean;
                    /** @enum {string} */
                    type: "text" | "textarea" | "email" | "phone" | "select" | "multi_select" | "checkbox" | "date" | "hidden";
                }[];
                /** @default Submit */
                submitLabel: string;
                /** @default [] */
                tags: string[];
                title: string;
            };
            formId: string;
            formToken: string;
            versionId: string;
        };
        /** @description A payment as its pay page shows it */
        PublicPayment: {
            amount: string;
            businessName: string | null;
            currency: string;
            description: string | null;
            expired: boolean;
            invoice: {
                dueDate: string | null;
                label: string;
                lines: {
                    description: string;
                    quantity: number;
                    unitAmount: string;
                }[];
                memo: string | null;
            } | null;
            sandbox: boolean;
            /** @enum {string} */
            status: "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "REFUNDED";
        };
        /** @description Where the payment stands now */
        PublicPaymentStatus: {
            /** @enum {string} */
            status: "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "REFUNDED";
        };
        /** @description Free start times of an appointment type on its booking page, by local date */
        PublicSlots: {
            calendarTimeZone: string;
            days: components["schemas"]["SlotDay"][];
            /** @description Sent back with the booking */
            formToken: string;
            timeZone: string;
        };
        /** @description A campaign as one contact gets it */
        RenderedCampaign: {
            body: string;
            html: string | null;
            subject: string | null;
        };
        /** @description Payments' net revenue (paid less refunded) per period in the account's time zone, per currency */
        RevenueReport: {
            /** Format: date-time */
            from: string;
            /** @enum {string} */
            interval: "day" | "week" | "month";
            /** @description The first day of every period from `from` to `to`, YYYY-MM-DD in the account's time zone */
            periods: string[];
            /** @description Net revenue of each period and currency that has any */
            rows: {
                amount: string;
                currency: string;
                payments: number;
                period: string;
            }[];
            timezone: string;
            /** Format: date-time */
            to: string;
            /** @description Per currency over the whole range, the one with most payments first: `amount` = `gross` - `refunded` */
            totals: {
                amount: string;
                currency: string;
                gross: string;
                payments: number;
                refunded: string;
            }[];
        };
        /** @description An admin screen: a nav entry in the UI */
        Screen: {
            icon: string;
            label: string;
            order: number;
            path: string;
        };
        /** @description Who is signed in, and the account being acted in */
        Session: {
            actingAs: components["schemas"]["User"] | null;
            csrfToken: string | null;
            twoFactorSetupRequired: boolean;
            user: components["schemas"]["User"];
            /** @enum {string} */
            via: "session" | "api_key";
        };
        /** @description A free start time */
        Slot: {
            /** Format: date-time */
            end: string;
            /** Format: date-time */
            start: string;
            time: string;
        };
        /** @description The free slots of one local date */
        SlotDay: {
            date: string;
            slots: components["schemas"]["Slot"][];
        };
        /** @description Free slots grouped by local date */
        SlotDays: {
            calendarTimeZone: string;
            days: components["schemas"]["SlotDay"][];
            timeZone: string;
        };
        /** @description A contact filter saved under a name */
        SmartList: {
            /** Format: date-time */
            createdAt: string;
            filter: components["schemas"]["ContactFilter"];
            id: string;
            name: string;
            /** Format: date-time */
            updatedAt: string;
            userId: string;
        };
        /** @description An agency's client account, with roll-up counts of its data */
        SubAccount: {
            agencyId: string | null;
            businessName: string | null;
            counts: {
                [key: string]: number;
            };
            /** Format: date-time */
            createdAt: string;
            email: string;
            emailVerified: string | null;
            id: string;
            name: string | null;
            onboardingComplete: boolean;
            onboardingStep: number;
            /** @enum {string} */
            role: "USER" | "ADMIN" | "AGENCY" | "SUB_ACCOUNT";
            timezone: string;
            twoFactorEnabledAt: string | null;
            twoFactorRequired: boolean;
        };
        /** @description An email the installation sent (or, in sandbox mode, recorded) */
        SystemEmail: {
            /** Format: date-time */
            createdAt: string;
            id: string;
            purpose: string;
            sentVia: string;
            subject: string;
            text: string;
            to: string;
        };
        /** @description A tag and its colour; contacts carry tags by name */
        Tag: {
            color: string | null;
            contacts?: number;
            /** Format: date-time */
            createdAt: string;
            id: string;
            name: string;
            userId: string;
        };
        /** @description An entry of a contact's timeline, from one plugin */
        TimelineEntry: {
            /** Format: date-time */
            at: string;
            body?: string | null;
            data?: {
                [key: string]: unknown;
            };
            id: string;
            kind: string;
            link?: string | null;
            source: string;
            title: string;
        };
        /** @description The signed-in user's two-factor sign-in */
        TwoFactorStatus: {
            enabled: boolean;
            enabledAt: string | null;
            recoveryCodesLeft: number;
            required: boolean;
        };
        /** @description An account: a business, an agency, an agency client (sub-account) or an admin */
        User: {
            agencyId: string | null;
            businessName: string | null;
            /** Format: date-time */
            createdAt: string;
            email: string;
            emailVerified: string | null;
            id: string;
            name: string | null;
            onboardingComplete: boolean;
            onboardingStep: number;
            /** @enum {string} */
            role: "USER" | "ADMIN" | "AGENCY" | "SUB_ACCOUNT";
            timezone: string;
            twoFactorEnabledAt: string | null;
            twoFactorRequired: boolean;
        };
        /** @description An AI voice agent: what it says and how, and whether ElevenLabs has its latest version */
        VoiceAgent: {
            /** Format: date-time */
            createdAt: string;
            elevenLabsAgentId: string | null;
            firstMessage: string | null;
            id: string;
            language: string;
            name: string;
            push: {
                error: string | null;
                pushedVersion: number;
                /** @enum {string} */
                status: "PENDING" | "SYNCED" | "FAILED" | "REVIEW";
                version: number;
            };
            sandbox: boolean;
            /** @enum {string} */
            status: "ACTIVE" | "INACTIVE" | "ERROR";
            systemPrompt: string | null;
            twilioPhoneNumber: string | null;
            /** Format: date-time */
            updatedAt: string;
            voiceId: string | null;
        };
        /** @description The voice agent's book tool: the appointment, or fresh times when the one asked for was taken */
        VoiceToolBooking: {
            appointmentId: string | null;
            label: string | null;
            message: string;
            slots: {
                label: string;
                start: string;
            }[];
            start: string | null;
            /** @enum {string} */
            status: "booked" | "taken";
        };
        /** @description Free times for the voice agent's find_slots tool */
        VoiceToolSlots: {
            message: string;
            slots: {
                label: string;
                start: string;
            }[];
            timeZone: string;
            typeId: string;
            typeName: string;
        };
        /** @description A workflow: its draft definition, and which version is live */
        Workflow: {
            actions: components["schemas"]["WorkflowStep"][];
            allowReentry: boolean;
            conditions: unknown;
            /** Format: date-time */
            createdAt: string;
            description: string | null;
            executionCount: number;
            id: string;
            lastExecutedAt: string | null;
            name: string;
            publishedVersion: number | null;
            /** @enum {string} */
            status: "ACTIVE" | "INACTIVE";
            /** @enum {string} */
            trigger: "CONTACT_CREATED" | "CONTACT_UPDATED" | "TAG_ADDED" | "TAG_REMOVED" | "DEAL_CREATED" | "DEAL_STAGE_CHANGED" | "APPOINTMENT_SCHEDULED" | "MESSAGE_RECEIVED" | "FORM_SUBMITTED" | "MANUAL" | "CUSTOM";
            triggerFilter: {
                [key: string]: unknown;
            };
            triggerKey: string;
            /** Format: date-time */
            updatedAt: string;
            userId: string;
        };
        /** @description A run of a workflow for one contact */
        WorkflowExecution: {
            completedAt: string | null;
            contactId: string | null;
            contextData: {
                event?: {
                    id?: string;
                    occurredAt?: string;
                    payload?: unknown;
                    type?: string;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            depth: number;
            error: string | null;
            eventId: string;
            id: string;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "PENDING" | "RUNNING" | "WAITING" | "COMPLETED" | "FAILED" | "NEEDS_REVIEW";
            userId: string;
            versionId: string;
            workflowId: string;
        };
        /** @description Workflow runs started per day, with how many completed, failed or need review */
        WorkflowRunsReport: {
            days: {
                completed: number;
                day: string;
                failed: number;
                needsReview: number;
                started: number;
            }[];
            from: string | null;
            timezone: string;
            to: string | null;
            totals: {
                completed: number;
                failed: number;
                needsReview: number;
                started: number;
            };
        };
        /** @description A step of a workflow (docs/workflows.md) */
        WorkflowStep: {
            action: string;
            id: string;
            name?: string;
            next?: string | null;
            /** @default {} */
            props: {
                [key: string]: unknown;
            };
            /** @constant */
            type: "action";
        } | {
            condition: unknown;
            else?: string | null;
            id: string;
            name?: string;
            then?: string | null;
            /** @constant */
            type: "branch";
        } | {
            id: string;
            name?: string;
            next?: string | null;
            timeoutNext?: string | null;
            /** @constant */
            type: "wait";
            wait: {
                amount: number;
                /** @constant */
                mode: "duration";
                /** @enum {string} */
                unit: "minutes" | "hours" | "days";
            } | {
                days?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                /** @constant */
                mode: "time_of_day";
                time: string;
            } | {
                event: string;
                /** @default {} */
                filter: {
                    [key: string]: unknown;
                };
                /** @constant */
                mode: "event";
                timeout: {
                    amount: number;
                    /** @enum {string} */
                    unit: "minutes" | "hours" | "days";
                };
            } | {
                amount: number;
                /**
                 * @default before
                 * @enum {string}
                 */
                direction: "before" | "after";
                /**
                 * @default continue
                 * @enum {string}
                 */
                late: "continue" | "skip";
                /** @constant */
                mode: "relative";
                to: string;
                /** @enum {string} */
                unit: "minutes" | "hours" | "days";
            };
        } | {
            event: string;
            /** @default {} */
            filter: {
                [key: string]: unknown;
            };
            id: string;
            /**
             * @default continue
             * @enum {string}
             */
            ifNotMet: "continue" | "wait" | "end";
            name?: string;
            next?: string | null;
            /** @constant */
            type: "goal";
        } | {
            id: string;
            name?: string;
            /** @constant */
            type: "end";
        };
        /** @description One step a run reached, with its last attempt */
        WorkflowStepRun: {
            actionKey: string | null;
            attempt: number;
            error: string | null;
            executionId: string;
            finishedAt: string | null;
            id: string;
            input: unknown;
            output: unknown;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "RUNNING" | "SUCCEEDED" | "FAILED" | "WAITING" | "NEEDS_REVIEW";
            stepId: string;
            type: string;
            userId: string;
        };
        /** @description A published, unchangeable copy of a workflow's definition */
        WorkflowVersion: {
            actions: components["schemas"]["WorkflowStep"][];
            allowReentry: boolean;
            conditions: unknown;
            id: string;
            /** Format: date-time */
            publishedAt: string;
            triggerFilter: {
                [key: string]: unknown;
            };
            triggerKey: string;
            userId: string;
            version: number;
            workflowId: string;
        };
    };
    responses: {
        /** @description This account or key may not do this, or the CSRF token is missing */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A field is invalid: `errors` names each one */
        Invalid: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such record (for this account) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Any other refusal: 400, 409, 413, 415, 429, ... */
        Problem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not signed in, or the API key is unknown */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getApiAdminUsers: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 100 unless given, at most 500 */
                limit?: number;
                role?: "USER" | "ADMIN" | "AGENCY" | "SUB_ACCOUNT";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["User"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiAdminUsersByIdRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agencyId?: string;
                    /** @enum {string} */
                    role: "USER" | "ADMIN" | "AGENCY" | "SUB_ACCOUNT";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiAdminUsersByIdTwoFactorRequirement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    required: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiAgencySubAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SubAccount"][];
                        totals: {
                            [key: string]: number;
                        };
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAgencySubAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    businessName: string;
                    /** Format: email */
                    email: string;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        subAccount: components["schemas"]["User"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAgencySwitch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    subAccountId: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actingAs: components["schemas"]["User"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAgencySwitchBack: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actingAs: null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    putApiAgencyTwoFactorRequirement: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    required: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        required: boolean;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    scope: "READ" | "WRITE";
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        id: string;
                        /** @description The key: shown in this answer only */
                        key: string;
                        lastUsedAt: string | null;
                        name: string;
                        prefix: string;
                        revokedAt: string | null;
                        /** @enum {string} */
                        scope: "READ" | "WRITE";
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiApiKeysById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiAuditLog: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEntry"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiAuthGoogle: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    getApiAuthGoogleCallback: {
        parameters: {
            query?: {
                code?: string;
                error?: string;
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        csrfToken: string;
                        twoFactorSetupRequired: boolean;
                        user: components["schemas"]["User"];
                    } | {
                        /** Format: date-time */
                        expiresAt: string;
                        /** @constant */
                        secondFactor: "totp";
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthLogoutAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: string;
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthPasswordResetConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    token: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        reset: true;
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiAuthSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthSignup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    name?: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: string;
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiAuthTwoFactor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TwoFactorStatus"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthTwoFactorConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recoveryCodes: string[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthTwoFactorDisable: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code?: string;
                    password?: string;
                };
            };
        };
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthTwoFactorRecoveryCodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recoveryCodes: string[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthTwoFactorSetup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        otpauthUri: string;
                        secret: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthTwoFactorVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        csrfToken: string;
                        twoFactorSetupRequired: boolean;
                        user: components["schemas"]["User"];
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthVerifyEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        verified: true;
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiAuthVerifyEmailResend: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarAppointments: {
        parameters: {
            query: {
                calendarId?: string;
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                from: string;
                /** @description Page size: 200 unless given, at most 500 */
                limit?: number;
                status?: "SCHEDULED" | "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW";
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Appointment"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarAppointments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    answers?: {
                        [key: string]: string;
                    };
                    appointmentTypeId?: string | null;
                    calendarId: string;
                    contactId?: string | null;
                    description?: string | null;
                    durationMin?: number;
                    location?: string | null;
                    outsideHours?: boolean;
                    /** Format: date-time */
                    start: string;
                    timeZone?: string | null;
                    title?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarAppointmentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCalendarAppointmentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId?: string | null;
                    description?: string | null;
                    location?: string | null;
                    title?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarAppointmentsByIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarAppointmentsByIdReschedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    durationMin?: number;
                    outsideHours?: boolean;
                    /** Format: date-time */
                    start: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarAppointmentsByIdStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "CONFIRMED" | "COMPLETED" | "NO_SHOW";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarCalendars: {
        parameters: {
            query?: {
                archived?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Calendar"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarCalendars: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    bookingEnabled?: boolean;
                    color?: string | null;
                    consentText?: string | null;
                    /** @enum {string} */
                    kind?: "PERSON" | "RESOURCE";
                    name: string;
                    pageIntro?: string | null;
                    pageTitle?: string | null;
                    timeZone: string;
                    writeTargetId?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Calendar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarCalendarsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Calendar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCalendarCalendarsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCalendarCalendarsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    archived?: boolean;
                    bookingEnabled?: boolean;
                    color?: string | null;
                    consentText?: string | null;
                    /** @enum {string} */
                    kind?: "PERSON" | "RESOURCE";
                    name?: string;
                    pageIntro?: string | null;
                    pageTitle?: string | null;
                    regenerateSlug?: boolean;
                    timeZone?: string;
                    writeTargetId?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Calendar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiCalendarCalendarsByIdHours: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    hours: {
                        endMinute: number;
                        startMinute: number;
                        /** @description 1 = Monday … 7 = Sunday */
                        weekday: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Calendar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarCalendarsByIdOverrides: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AvailabilityOverride"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiCalendarCalendarsByIdOverridesByDate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                date: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string | null;
                    windows: {
                        endMinute: number;
                        startMinute: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvailabilityOverride"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCalendarCalendarsByIdOverridesByDate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                date: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarCalendarsByIdSlots: {
        parameters: {
            query: {
                from: string;
                to: string;
                typeId: string;
                tz?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlotDays"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarCalendarsByIdTypes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AppointmentType"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarCalendarsByIdTypes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    active?: boolean;
                    bufferAfterMin?: number;
                    bufferBeforeMin?: number;
                    currency?: string | null;
                    dailyLimit?: number | null;
                    description?: string | null;
                    durationMin: number;
                    isPublic?: boolean;
                    location?: string | null;
                    /** @enum {string} */
                    locationKind?: "IN_PERSON" | "PHONE" | "VIDEO" | "CUSTOM";
                    maxAdvanceDays?: number;
                    minNoticeMin?: number;
                    name: string;
                    paymentHoldMinutes?: number | null;
                    position?: number;
                    price?: (string | number) | null;
                    questions?: {
                        id: string;
                        /** @enum {string} */
                        kind: "text" | "textarea" | "select";
                        label: string;
                        options?: string[];
                        /** @default false */
                        required?: boolean;
                    }[];
                    reminders?: {
                        /** @enum {string} */
                        channel: "EMAIL" | "SMS" | "WHATSAPP";
                        offsetMin: number;
                    }[];
                    slotIntervalMin?: number | null;
                    slug?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentType"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiCalendarCalendarsByIdWriteTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    externalCalendarId: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarWriteTarget"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CalendarConnection"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCalendarConnectionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarConnectionsByProviderComplete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "google" | "microsoft";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    state: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarConnection"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarConnectionsByProviderStart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "google" | "microsoft";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Reconnect this connection instead of making a new one */
                    connectionId?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarConnectionStart"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarConnectionsApple: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An app-specific password (appleid.apple.com), not the Apple ID password */
                    appPassword: string;
                    /**
                     * Format: uri
                     * @description Another CalDAV server than iCloud
                     */
                    serverUrl?: string;
                    /** @description The Apple ID */
                    username: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarConnection"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCalendarExternalCalendarsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    allDayBlocks?: boolean;
                    blocksCalendarId?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalCalendar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarExternalCalendarsByIdSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarPublicManageByToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedBooking"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarPublicManageByTokenCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedBooking"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarPublicManageByTokenReschedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    start: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedBooking"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarPublicPagesBySlug: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicBookingPage"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarPublicPagesBySlugBookings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    answers?: {
                        [key: string]: string;
                    };
                    /**
                     * @default {
                     *       "email": false,
                     *       "sms": false
                     *     }
                     */
                    consent?: {
                        /** @default false */
                        email?: boolean;
                        /** @default false */
                        sms?: boolean;
                    };
                    /** Format: email */
                    email: string;
                    formToken: string;
                    name: string;
                    phone?: string;
                    /** Format: date-time */
                    start: string;
                    timeZone: string;
                    typeSlug: string;
                    website?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicBooking"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarPublicPagesBySlugTypesByTypeSlugSlots: {
        parameters: {
            query?: {
                /** @description Default: now */
                from?: string;
                /** @description Default: 7 days after from; at most 42 */
                to?: string;
                /** @description The booker's zone for dates and labels (default: the calendar's) */
                tz?: string;
            };
            header?: never;
            path: {
                slug: string;
                typeSlug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicSlots"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCalendarSandboxEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    allDay?: boolean;
                    /** @default false */
                    deleted?: boolean;
                    /** Format: date-time */
                    end?: string;
                    eventId: string;
                    externalCalendarId: string;
                    /** Format: date-time */
                    start?: string;
                    /** @default false */
                    transparent?: boolean;
                };
            };
        };
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCalendarTypesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentType"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCalendarTypesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCalendarTypesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    active?: boolean;
                    bufferAfterMin?: number;
                    bufferBeforeMin?: number;
                    currency?: string | null;
                    dailyLimit?: number | null;
                    description?: string | null;
                    durationMin?: number;
                    isPublic?: boolean;
                    location?: string | null;
                    /** @enum {string} */
                    locationKind?: "IN_PERSON" | "PHONE" | "VIDEO" | "CUSTOM";
                    maxAdvanceDays?: number;
                    minNoticeMin?: number;
                    name?: string;
                    paymentHoldMinutes?: number | null;
                    position?: number;
                    price?: (string | number) | null;
                    questions?: {
                        id: string;
                        /** @enum {string} */
                        kind: "text" | "textarea" | "select";
                        label: string;
                        options?: string[];
                        /** @default false */
                        required?: boolean;
                    }[];
                    reminders?: {
                        /** @enum {string} */
                        channel: "EMAIL" | "SMS" | "WHATSAPP";
                        offsetMin: number;
                    }[];
                    slotIntervalMin?: number | null;
                    slug?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentType"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsAudience: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    smartListId?: string | null;
                    /** @default [] */
                    targetTags?: string[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Contacts reached now */
                        count: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCampaignsCampaigns: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 25 unless given, at most 100 */
                limit?: number;
                status?: "DRAFT" | "SCHEDULED" | "ACTIVE" | "COMPLETED" | "CANCELLED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Campaign"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaigns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    html?: string | null;
                    message: string;
                    name: string;
                    smartListId?: string | null;
                    subject?: string | null;
                    /** @default [] */
                    targetTags?: string[];
                    /** @enum {string} */
                    type: "EMAIL" | "SMS";
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCampaignsCampaignsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCampaignsCampaignsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCampaignsCampaignsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    html?: string | null;
                    message?: string;
                    name?: string;
                    smartListId?: string | null;
                    subject?: string | null;
                    targetTags?: string[];
                    /** @enum {string} */
                    type?: "EMAIL" | "SMS";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCampaignsCampaignsByIdActivity: {
        parameters: {
            query?: {
                bucket?: "minute" | "hour" | "day";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        bucket: "minute" | "hour" | "day";
                        points: {
                            /** Format: date-time */
                            at: string;
                            bounced: number;
                            clicked: number;
                            delivered: number;
                            failed: number;
                            opened: number;
                            sent: number;
                            unsubscribed: number;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCampaignsCampaignsByIdAudience: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Contacts reached now */
                        count: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaignsByIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCampaignsCampaignsByIdMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignMetrics"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaignsByIdPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId: string;
                    html?: string | null;
                    message?: string;
                    subject?: string | null;
                    /** @enum {string} */
                    type?: "EMAIL" | "SMS";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenderedCampaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCampaignsCampaignsByIdRecipients: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                status?: "QUEUED" | "SKIPPED" | "SENT" | "DELIVERED" | "OPENED" | "CLICKED" | "BOUNCED" | "FAILED" | "CANCELLED";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CampaignRecipient"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaignsByIdSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    at: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaignsByIdSend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaignsByIdTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId?: string;
                    to?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        body: string;
                        html: string | null;
                        messageId: string | null;
                        subject: string | null;
                        to: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCampaignsCampaignsByIdUnschedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Catalog"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getApiConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Connection"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    putApiConnectionsByPluginByProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                plugin: string;
                provider: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    credentials: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credentials: {
                            [key: string]: string;
                        };
                        /** @constant */
                        mode: "live";
                        plugin: string;
                        provider: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiConnectionsByPluginByProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                plugin: string;
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiContactsByIdErase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description true: erase this contact for good
                     * @constant
                     */
                    confirm: true;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactErasureReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiContactsByIdExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiContactsByIdTimeline: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 30 unless given, at most 100 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TimelineEntry"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContacts: {
        parameters: {
            query?: {
                createdAfter?: unknown;
                createdBefore?: unknown;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                customFields?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                order?: "asc" | "desc";
                q?: string;
                smartListId?: string;
                sort?: "createdAt" | "updatedAt" | "firstName";
                source?: string;
                tagsAll?: string[];
                tagsAny?: string[];
                tagsNone?: string[];
                updatedAfter?: unknown;
                updatedBefore?: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Contact"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContacts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmContactsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCrmContactsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsByIdDuplicates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["LikelyDuplicate"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsByIdMerges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ContactMerge"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsByIdNotes: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Note"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContactsByIdNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    content: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContactsByIdTags: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default [] */
                    add?: string[];
                    /** @default [] */
                    remove?: string[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContactsBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action: {
                        tags: string[];
                        /** @constant */
                        type: "add_tags";
                    } | {
                        tags: string[];
                        /** @constant */
                        type: "remove_tags";
                    } | {
                        /** @constant */
                        type: "delete";
                    } | {
                        /** @constant */
                        type: "start_workflow";
                        workflowId: string;
                    } | {
                        /** @constant */
                        type: "export";
                    };
                    target: {
                        contactIds?: string[];
                        filter?: {
                            createdAfter?: unknown;
                            createdBefore?: unknown;
                            customFields?: {
                                [key: string]: string | number | boolean;
                            };
                            q?: string;
                            source?: string;
                            tagsAll?: string[];
                            tagsAny?: string[];
                            tagsNone?: string[];
                            updatedAfter?: unknown;
                            updatedBefore?: unknown;
                        };
                        smartListId?: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: components["schemas"]["CrmJob"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsCount: {
        parameters: {
            query?: {
                createdAfter?: unknown;
                createdBefore?: unknown;
                customFields?: string;
                q?: string;
                smartListId?: string;
                source?: string;
                tagsAll?: string[];
                tagsAny?: string[];
                tagsNone?: string[];
                updatedAfter?: unknown;
                updatedBefore?: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        count: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsDuplicates: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 20 unless given, at most 100 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DuplicateGroup"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmContactsExport: {
        parameters: {
            query?: {
                createdAfter?: unknown;
                createdBefore?: unknown;
                customFields?: string;
                q?: string;
                smartListId?: string;
                source?: string;
                tagsAll?: string[];
                tagsAny?: string[];
                tagsNone?: string[];
                updatedAfter?: unknown;
                updatedBefore?: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContactsImports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default skip
                     * @enum {string}
                     */
                    duplicates?: "skip" | "update" | "create";
                    mapping: {
                        [key: string]: string | null;
                    };
                    /** @default [] */
                    tags?: string[];
                    /** @default false */
                    triggerWorkflows?: boolean;
                    uploadId: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: components["schemas"]["CrmJob"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContactsImportsUploads: {
        parameters: {
            query?: {
                fileName?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    content?: string;
                    fileName?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CsvUpload"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmContactsMerge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    fields?: {
                        /** @enum {string} */
                        company?: "keep" | "merge";
                        /** @enum {string} */
                        email?: "keep" | "merge";
                        /** @enum {string} */
                        firstName?: "keep" | "merge";
                        /** @enum {string} */
                        lastName?: "keep" | "merge";
                        /** @enum {string} */
                        phone?: "keep" | "merge";
                        /** @enum {string} */
                        source?: "keep" | "merge";
                    };
                    keepId: string;
                    mergeId: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["Contact"];
                        merge: components["schemas"]["ContactMerge"];
                        moved: {
                            appointments: number;
                            dealLinks: number;
                            notes: number;
                        };
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmCustomFields: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CustomField"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmCustomFields: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    key: string;
                    label: string;
                    /** @default [] */
                    options?: string[];
                    /** @default false */
                    required?: boolean;
                    /** @enum {string} */
                    type: "TEXT" | "NUMBER" | "DATE" | "SELECT" | "MULTI_SELECT" | "BOOLEAN";
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomField"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmCustomFieldsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCrmCustomFieldsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    label?: string;
                    options?: string[];
                    required?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomField"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmDeals: {
        parameters: {
            query?: {
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                q?: string;
                stage?: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DealCard"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmDeals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contacts?: {
                        contactId: string;
                        isPrimary?: boolean;
                    }[];
                    currency?: string;
                    description?: string | null;
                    expectedCloseDate?: (unknown | (string)) | null;
                    probability?: number;
                    /** @enum {string} */
                    stage?: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
                    title: string;
                    value?: string | number;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmDealsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmDealsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCrmDealsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currency?: string;
                    description?: string | null;
                    expectedCloseDate?: (unknown | (string)) | null;
                    probability?: number;
                    /** @enum {string} */
                    stage?: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
                    title?: string;
                    value?: string | number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmDealsByIdContacts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId: string;
                    isPrimary?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmDealsByIdContactsByContactId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmDealsByIdNotes: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Note"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmDealsByIdNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    content: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiCrmDealsByIdPrimaryContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmDealsBoard: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DealBoard"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmJobsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CrmJob"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmJobsByIdErrors: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 200 unless given, at most 1000 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CrmJobError"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmLeadsByIdNotes: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Note"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmLeadsByIdNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    content: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmNotesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCrmNotesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    content: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmReportsContacts: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactsReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmReportsPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PipelineReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmSmartLists: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SmartList"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmSmartLists: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter: {
                        createdAfter?: unknown;
                        createdBefore?: unknown;
                        customFields?: {
                            [key: string]: string | number | boolean;
                        };
                        q?: string;
                        source?: string;
                        tagsAll?: string[];
                        tagsAny?: string[];
                        tagsNone?: string[];
                        updatedAfter?: unknown;
                        updatedBefore?: unknown;
                    };
                    name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmartList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmSmartListsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCrmSmartListsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter?: {
                        createdAfter?: unknown;
                        createdBefore?: unknown;
                        customFields?: {
                            [key: string]: string | number | boolean;
                        };
                        q?: string;
                        source?: string;
                        tagsAll?: string[];
                        tagsAny?: string[];
                        tagsNone?: string[];
                        updatedAfter?: unknown;
                        updatedBefore?: unknown;
                    };
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmartList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiCrmTags: {
        parameters: {
            query?: {
                counts?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Tag"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiCrmTags: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default null */
                    color?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tag"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiCrmTagsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiCrmTagsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    color?: string | null;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tag"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiDataRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Days a finished workflow run and its step log are kept (runs still waiting are kept however old) */
                        executionLogRetentionDays: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    putApiDataRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Days a finished workflow run and its step log are kept (runs still waiting are kept however old) */
                    executionLogRetentionDays: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Days a finished workflow run and its step log are kept (runs still waiting are kept however old) */
                        executionLogRetentionDays: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiDevOutbox: {
        parameters: {
            query?: {
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SystemEmail"][];
                        /** @constant */
                        sandbox: true;
                    };
                };
            };
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getApiDocsByFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                file: "swagger-ui.css" | "swagger-ui-bundle.js" | "reference.js";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiForms: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FormListItem"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiForms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    definition?: {
                        /**
                         * @default {
                         *       "kind": "message",
                         *       "message": "Thank you!"
                         *     }
                         */
                        after?: {
                            /** @constant */
                            kind: "message";
                            message: string;
                        } | {
                            /** @constant */
                            kind: "redirect";
                            /** Format: uri */
                            url: string;
                        };
                        consent?: {
                            email: boolean;
                            sms: boolean;
                            wording: string;
                        };
                        description?: string;
                        fields: {
                            help?: string;
                            hiddenValue?: string;
                            key: string;
                            label: string;
                            mapsTo?: {
                                /** @enum {string} */
                                contact: "firstName" | "lastName" | "email" | "phone" | "company";
                            } | {
                                customField: string;
                            };
                            options?: string[];
                            placeholder?: string;
                            /** @default false */
                            required?: boolean;
                            /** @enum {string} */
                            type: "text" | "textarea" | "email" | "phone" | "select" | "multi_select" | "checkbox" | "date" | "hidden";
                        }[];
                        /** @default Submit */
                        submitLabel?: string;
                        /** @default [] */
                        tags?: string[];
                        title: string;
                    };
                    name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Form"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiFormsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Form"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiFormsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiFormsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    draft?: {
                        /**
                         * @default {
                         *       "kind": "message",
                         *       "message": "Thank you!"
                         *     }
                         */
                        after?: {
                            /** @constant */
                            kind: "message";
                            message: string;
                        } | {
                            /** @constant */
                            kind: "redirect";
                            /** Format: uri */
                            url: string;
                        };
                        consent?: {
                            email: boolean;
                            sms: boolean;
                            wording: string;
                        };
                        description?: string;
                        fields: {
                            help?: string;
                            hiddenValue?: string;
                            key: string;
                            label: string;
                            mapsTo?: {
                                /** @enum {string} */
                                contact: "firstName" | "lastName" | "email" | "phone" | "company";
                            } | {
                                customField: string;
                            };
                            options?: string[];
                            placeholder?: string;
                            /** @default false */
                            required?: boolean;
                            /** @enum {string} */
                            type: "text" | "textarea" | "email" | "phone" | "select" | "multi_select" | "checkbox" | "date" | "hidden";
                        }[];
                        /** @default Submit */
                        submitLabel?: string;
                        /** @default [] */
                        tags?: string[];
                        title: string;
                    };
                    name?: string;
                    updateExistingContacts?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Form"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiFormsByIdArchive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Form"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiFormsByIdPublish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: components["schemas"]["FormVersion"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiFormsByIdSubmissions: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                /** @description Text in the answers (case-insensitive) */
                q?: string;
                status?: "RECEIVED" | "PROCESSED" | "SPAM" | "FAILED";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FormSubmission"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiFormsByIdSubmissionsCsv: {
        parameters: {
            query?: {
                status?: "RECEIVED" | "PROCESSED" | "SPAM" | "FAILED";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiFormsByIdVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FormVersion"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiFormsPublicByFormId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                formId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicForm"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiFormsPublicByFormIdSubmissions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                formId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    answers: {
                        [key: string]: unknown;
                    };
                    /** @description The consent checkbox, when the form has one */
                    consent?: boolean;
                    formToken: string;
                    sourceUrl?: string;
                    utm?: {
                        utm_campaign?: string;
                        utm_content?: string;
                        utm_medium?: string;
                        utm_source?: string;
                        utm_term?: string;
                    };
                    versionId: string;
                    /** @description The honeypot: people leave it empty */
                    website?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FormSubmitted"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiFormsReportsSubmissions: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FormSubmissionsReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiLeadsLeads: {
        parameters: {
            query?: {
                category?: string;
                city?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                q?: string;
                status?: "NEW" | "CONTACTED" | "QUALIFIED" | "CONVERTED" | "REJECTED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Lead"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiLeadsLeadsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiLeadsLeadsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiLeadsLeadsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    address?: string;
                    businessName?: string;
                    category?: string;
                    city?: string;
                    country?: string;
                    email?: ("" | string) | null;
                    phone?: string | null;
                    state?: string;
                    /** @enum {string} */
                    status?: "NEW" | "CONTACTED" | "QUALIFIED" | "CONVERTED" | "REJECTED";
                    website?: ("" | string) | null;
                    zipCode?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiLeadsLeadsByIdConvert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    deal?: {
                        currency?: string;
                        /** @enum {string} */
                        stage?: "LEAD" | "QUALIFIED" | "PROPOSAL" | "NEGOTIATION" | "CLOSED_WON" | "CLOSED_LOST";
                        title?: string;
                        value?: string | number;
                    };
                    email?: string;
                    firstName?: string;
                    lastName?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadConversion"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiLeadsLeadsPlacesStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        mode: "live" | "sandbox";
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiLeadsLeadsSearches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    location?: {
                        latitude: number;
                        longitude: number;
                    };
                    /** @default 60 */
                    maxResults?: number;
                    query: string;
                    radiusMeters?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: components["schemas"]["LeadSearch"];
                        /** @description Sample places: no Google Places key is connected */
                        sandbox: boolean;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiLeadsLeadsSearchesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadSearch"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiLeadsLeadsStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ids: string[];
                    /** @enum {string} */
                    status: "NEW" | "CONTACTED" | "QUALIFIED" | "CONVERTED" | "REJECTED";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description How many changed */
                        updated: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiLifecycleJobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            description: string;
                            /** @description `<plugin>.<name>` */
                            job: string;
                            lastError: string | null;
                            lastFinishedAt: string | null;
                            lastPruned: number;
                            lastStartedAt: string | null;
                            running: boolean;
                            /** @description Crontab time */
                            schedule: string;
                            totalPruned: number;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["MessagingChannel"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingContactsByContactIdConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Consent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiMessagingContactsByContactIdConsentByChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
                contactId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    doNotDisturb: boolean;
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description False when it already was so (nothing recorded) */
                        changed: boolean;
                        /** @enum {string} */
                        channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
                        doNotDisturb: boolean;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingConversations: {
        parameters: {
            query?: {
                channel?: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM" | "VOICE";
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 30 unless given, at most 100 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Conversation"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingConversationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingConversationsByIdMessages: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 30 unless given, at most 100 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Message"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiMessagingConversationsByIdMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                    html?: string;
                    idempotencyKey?: string;
                    subject?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiMessagingConversationsByIdRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unreadCount: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiMessagingMessages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                    /** @enum {string} */
                    channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM";
                    contactId: string;
                    html?: string;
                    idempotencyKey?: string;
                    subject?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingMessagesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingReportsMessages: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagesReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiMessagingSandboxInbound: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                    /** @enum {string} */
                    channel: "SMS" | "EMAIL" | "WHATSAPP" | "FACEBOOK" | "INSTAGRAM";
                    from: string;
                    name?: string;
                    subject?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiMessagingSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagingSettings"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    putApiMessagingSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    quietHoursEnabled?: boolean;
                    quietHoursEnd?: string;
                    quietHoursStart?: string;
                    sendRates?: {
                        [key: string]: number;
                    } | null;
                    timezone?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagingSettings"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiNotifications: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 100 unless given, at most 200 */
                limit?: number;
                unread?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Notification"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiNotificationsByIdRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiOnboarding: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Onboarding"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    putApiOnboardingByStep: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                step: "business" | "location" | "about";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        info: {
                            title: string;
                            version: string;
                        } & {
                            [key: string]: unknown;
                        };
                        /** @constant */
                        openapi: "3.1.0";
                        paths: {
                            [key: string]: {
                                [key: string]: unknown;
                            };
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsInvoices: {
        parameters: {
            query?: {
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                status?: "OPEN" | "PAID" | "VOID";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Invoice"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsInvoicesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiPaymentsInvoicesByIdVoid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvoiceDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsPayments: {
        parameters: {
            query?: {
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                from?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                provider?: "STRIPE" | "PAYPAL" | "SQUARE";
                status?: "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "REFUNDED";
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Payment"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiPaymentsPayments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: (string | number) | null;
                    contactId?: string | null;
                    /** @default USD */
                    currency?: string;
                    description?: string | null;
                    dueDate?: string | null;
                    expiresAt?: string | null;
                    lines?: {
                        description: string;
                        quantity: number;
                        unitAmount: string | number;
                    }[] | null;
                    memo?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsPaymentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiPaymentsPaymentsByIdRefunds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: (string | number) | null;
                    reason?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentRefund"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsPaymentsExportCsv: {
        parameters: {
            query?: {
                contactId?: string;
                from?: string;
                provider?: "STRIPE" | "PAYPAL" | "SQUARE";
                status?: "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "REFUNDED";
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsPublicPayByPayToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                payToken: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicPayment"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiPaymentsPublicPayByPayTokenCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                payToken: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentCheckout"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiPaymentsPublicPayByPayTokenReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                payToken: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    query?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicPaymentStatus"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiPaymentsPublicPayByPayTokenSandbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                payToken: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "succeed" | "decline" | "abandon";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicPaymentStatus"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiPaymentsRevenue: {
        parameters: {
            query?: {
                from?: string;
                interval?: "day" | "week" | "month";
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevenueReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiReportsWorkflowRuns: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowRunsReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiVoiceAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["VoiceAgent"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    firstMessage?: string | null;
                    /** @default en */
                    language?: string;
                    name: string;
                    systemPrompt?: string | null;
                    voiceId?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiVoiceAgentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiVoiceAgentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    patchApiVoiceAgentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    firstMessage?: string | null;
                    /** @default en */
                    language?: string;
                    name?: string;
                    systemPrompt?: string | null;
                    voiceId?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiVoiceAgentsByIdNumber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    phoneNumber: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceAgentsByIdPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceAgentsByIdResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceAgentsByIdToolSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceAgent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiVoiceCalls: {
        parameters: {
            query?: {
                agentId?: string;
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                direction?: "INBOUND" | "OUTBOUND";
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                status?: "QUEUED" | "RINGING" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "BUSY" | "NO_ANSWER" | "VOICEMAIL";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Call"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceCalls: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agentId: string;
                    contactId: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Call"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiVoiceCallsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiVoiceCallsByIdRecording: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "audio/mpeg": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceToolsByTenantByAgentIdBook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    conversationId: string;
                    email?: string;
                    name: string;
                    phone: string;
                    /** Format: date-time */
                    start: string;
                    typeId: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceToolBooking"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiVoiceToolsByTenantByAgentIdFindSlots: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    days?: number;
                    from?: string;
                    timeZone?: string;
                    typeId?: string;
                    typeSlug?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceToolSlots"];
                };
            };
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secret: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWebhookSecretRotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secret: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getApiWorkflowExecutionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completedAt: string | null;
                        contactId: string | null;
                        contextData: {
                            event?: {
                                id?: string;
                                occurredAt?: string;
                                payload?: unknown;
                                type?: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        };
                        depth: number;
                        error: string | null;
                        eventId: string;
                        id: string;
                        /** Format: date-time */
                        startedAt: string;
                        /** @enum {string} */
                        status: "PENDING" | "RUNNING" | "WAITING" | "COMPLETED" | "FAILED" | "NEEDS_REVIEW";
                        steps: components["schemas"]["WorkflowStepRun"][];
                        userId: string;
                        versionId: string;
                        workflowId: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWorkflowExecutionsByIdReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "retry" | "skip" | "stop";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowExecution"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiWorkflows: {
        parameters: {
            query?: {
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 100 unless given, at most 200 */
                limit?: number;
                status?: "ACTIVE" | "INACTIVE";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Workflow"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWorkflows: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    actions: unknown[];
                    /** @default false */
                    allowReentry?: boolean;
                    conditions?: unknown;
                    description?: string | null;
                    name: string;
                    /** @enum {string} */
                    trigger: "CONTACT_CREATED" | "CONTACT_UPDATED" | "TAG_ADDED" | "TAG_REMOVED" | "DEAL_CREATED" | "DEAL_STAGE_CHANGED" | "APPOINTMENT_SCHEDULED" | "MESSAGE_RECEIVED" | "FORM_SUBMITTED" | "MANUAL" | "CUSTOM";
                    /** @default {} */
                    triggerFilter?: {
                        [key: string]: unknown;
                    };
                    triggerKey?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiWorkflowsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    putApiWorkflowsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    actions: unknown[];
                    /** @default false */
                    allowReentry?: boolean;
                    conditions?: unknown;
                    description?: string | null;
                    name: string;
                    /** @enum {string} */
                    trigger: "CONTACT_CREATED" | "CONTACT_UPDATED" | "TAG_ADDED" | "TAG_REMOVED" | "DEAL_CREATED" | "DEAL_STAGE_CHANGED" | "APPOINTMENT_SCHEDULED" | "MESSAGE_RECEIVED" | "FORM_SUBMITTED" | "MANUAL" | "CUSTOM";
                    /** @default {} */
                    triggerFilter?: {
                        [key: string]: unknown;
                    };
                    triggerKey?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApiWorkflowsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWorkflowsByIdDryRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactId: string;
                    /** @default draft */
                    version?: "draft" | number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DryRun"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiWorkflowsByIdExecutions: {
        parameters: {
            query?: {
                contactId?: string;
                /** @description Where the page starts: the previous page's `nextCursor` */
                cursor?: string;
                /** @description Page size: 50 unless given, at most 200 */
                limit?: number;
                status?: "PENDING" | "RUNNING" | "WAITING" | "COMPLETED" | "FAILED" | "NEEDS_REVIEW";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WorkflowExecution"][];
                        /** @description Pass as `?cursor=` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWorkflowsByIdPublish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWorkflowsByIdStart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Every contact
                     * @constant
                     */
                    all?: true;
                    contactIds?: string[];
                    /** @description Contacts with any of these tags */
                    tags?: string[];
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        notFound: string[];
                        queued: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    postApiWorkflowsByIdStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "ACTIVE" | "INACTIVE";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
    getApiWorkflowsByIdVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WorkflowVersion"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Invalid"];
            default: components["responses"]["Problem"];
        };
    };
}
