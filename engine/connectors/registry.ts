/**
 * The connector registry: adding a connector is adding its folder, its schema in
 * schemas/connectors/, and one line here. Nothing else switches on connector types.
 */
import type { DestinationDefinition, SourceDefinition } from '../runtime/types.js';

export const sources: SourceDefinition[] = [
];

export const destinations: DestinationDefinition[] = [
];

export function findSource(type: string): SourceDefinition | undefined {
  return sources.find((s) => s.type === type);
}

export function findDestination(type: string): DestinationDefinition | undefined {
  return destinations.find((d) => d.type === type);
}
