/**
 * The claim form's "Supporting intelligence": the graded items held against the networks chosen,
 * to cite. One `disruptions:evidence` read each time the choice of networks changes, recorded in
 * main as one consultation of what was listed.
 */
import { useEffect, useState } from 'react';
import type { Output } from '../../../../preload/contract';
import { call } from '../../app/api';
import { CheckboxList } from '../../components/CheckboxList';
import { formatDay } from '../../components/dates';
import { gradeText } from '../../components/labels';

type Offered = Output<'disruptions:evidence'>['intelligence'][number];

export function IntelligencePicker(props: {
  primaryNetworkId: string;
  otherNetworkIds: string[];
  selected: string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  const [intelligence, setIntelligence] = useState<Offered[] | null>(null);
  const networkKey = [props.primaryNetworkId, ...props.otherNetworkIds].filter(Boolean).join(',');
  useEffect(() => {
    const ids = networkKey ? networkKey.split(',') : [];
    if (ids.length === 0) {
      setIntelligence([]);
      return;
    }
    let isCurrent = true;
    setIntelligence(null);
    call('disruptions:evidence', { networkIds: [...new Set(ids)] })
      .then((e) => isCurrent && setIntelligence(e.intelligence))
      .catch(() => isCurrent && setIntelligence([]));
    return () => {
      isCurrent = false;
    };
  }, [networkKey]);

  return (
    <CheckboxList
      legend="Supporting intelligence"
      hint="Graded items held against the networks chosen above."
      options={(intelligence ?? []).map((i) => ({ value: i.id, label: i.reference, detail: `${gradeText(i)}, ${formatDay(i.itemDate)}` }))}
      selected={props.selected}
      onChange={props.onChange}
      error={props.error}
      emptyText={intelligence === null ? 'Loading the networks’ intelligence…' : props.primaryNetworkId ? 'No intelligence is held against these networks.' : 'Choose a network first.'}
      isScrolling
    />
  );
}
