import * as D from '../services/disruptions.service';
import * as Mt from '../services/meetings.service';
import type { Handlers } from './handle';

type DisruptionChannels =
  | 'networks:set-plan-status'
  | 'disruptions:list'
  | 'disruptions:get'
  | 'disruptions:evidence'
  | 'disruptions:create'
  | 'disruptions:update'
  | 'disruptions:transition'
  | 'disruptions:review'
  | 'meetings:list'
  | 'meetings:hold';

export const disruptionHandlers: Pick<Handlers, DisruptionChannels> = {
  'networks:set-plan-status': (s, i) => Mt.setPlanStatus(s, i.id, i.planStatus),
  'disruptions:list': (s, i) => D.listDisruptions(s, i.view, i.networkId),
  'disruptions:get': (s, i) => D.disruptionDetail(s, i.id),
  'disruptions:evidence': (s, i) => D.listEvidence(s, i.networkIds),
  'disruptions:create': (s, i) => D.createDisruption(s, i),
  'disruptions:update': (s, i) => D.updateDisruption(s, i.id, i.draft),
  'disruptions:transition': (s, i) => D.transitionDisruption(s, i),
  'disruptions:review': (s, i) => D.reviewDurability(s, i),
  'meetings:list': (s) => {
    s.requireUser();
    return Mt.listMeetings(s.vault!.db);
  },
  'meetings:hold': (s, i) => Mt.holdMeeting(s, i.heldOn),
};
