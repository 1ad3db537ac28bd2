/**
 * Adobe I/O Events wire types: a flow run notification as the webhook receives it (AdobeDocs
 * experience-platform.en `help/sources/notifications.md`, "Success"; the I/O Events webhook guide
 * for `recipient_client_id`). The failure notification has the same envelope with the failure
 * event code.
 */
import type { RunDto } from '../flowService/types.ts';

export type RunEventCode = 'sources_flow_run_success' | 'sources_flow_run_failure';

export interface RunNotificationDto {
  event_id: string;
  event: RunDto & {
    header: {
      _adobeio: {
        imsOrgId: string;
        providerMetadata: string;
        eventCode: RunEventCode;
      };
    };
    /** Epoch ms at which the notification pipeline picked the run up and transformed it. */
    processStartTime?: number;
    transformedTime?: number;
  };
  /** The client id of the integration the event is delivered to; added by I/O Events. */
  recipient_client_id: string;
}
