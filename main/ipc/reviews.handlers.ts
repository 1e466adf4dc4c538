import * as V from '../services/reviews.service';
import type { Handlers } from './handle';

type ReviewChannels = 'reviews:due' | 'reviews:evidence' | 'reviews:record';

export const reviewHandlers: Pick<Handlers, ReviewChannels> = {
  'reviews:due': (s, i) => V.reviewsDue(s, i.withinDays),
  'reviews:evidence': (s, i) => V.reviewEvidence(s, i),
  'reviews:record': (s, i) => V.recordReview(s, i),
};
