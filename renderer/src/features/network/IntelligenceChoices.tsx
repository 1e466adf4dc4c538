/**
 * The card's intelligence as checkboxes: the graded items a member link, an offence link or a flag
 * cites. One component so every form lists, labels and scrolls them the same way.
 */
import { CheckboxList } from '../../components/CheckboxList';
import { intelligenceOptions, type CardContext } from './card';

export function IntelligenceChoices(props: {
  ctx: CardContext;
  legend: string;
  hint: string;
  selected: readonly string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  const items = props.ctx.card.intelligence;
  return (
    <CheckboxList
      legend={props.legend}
      hint={props.hint}
      options={intelligenceOptions(items)}
      isScrolling={items.length > 8}
      selected={props.selected}
      onChange={props.onChange}
      error={props.error}
      emptyText="No intelligence is held against this network yet. Record it on the Intelligence tab first."
    />
  );
}
