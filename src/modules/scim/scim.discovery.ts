import { CORE_GROUP, CORE_USER, ENTERPRISE_USER } from './scim.attributes.js';

/** The discovery resources (RFC 7643 §5–7): what this service provider supports, as data. */
export const MAX_RESULTS = 1000;

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://switchboard.dev/docs/scim',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'API token',
        description: 'A Switchboard API token (sbt_…) with the users:* scopes, sent as Authorization: Bearer',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: CORE_USER,
      schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: CORE_GROUP,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

interface Attr {
  name: string;
  type?: 'string' | 'boolean' | 'complex' | 'dateTime' | 'reference';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  uniqueness?: 'none' | 'server';
  subAttributes?: Attr[];
}

function attribute(a: Attr): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type ?? 'string',
    multiValued: a.multiValued ?? false,
    description: a.name,
    required: a.required ?? false,
    caseExact: a.caseExact ?? false,
    mutability: a.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: a.uniqueness ?? 'none',
    ...(a.subAttributes && { subAttributes: a.subAttributes.map(attribute) }),
  };
}

const multi = (name: string): Attr => ({
  name,
  type: 'complex',
  multiValued: true,
  subAttributes: [{ name: 'value' }, { name: 'display' }, { name: 'type' }, { name: 'primary', type: 'boolean' }],
});

const SCHEMAS: Array<{ id: string; name: string; description: string; attributes: Attr[] }> = [
  {
    id: CORE_USER,
    name: 'User',
    description: 'User Account',
    attributes: [
      { name: 'userName', required: true, uniqueness: 'server' },
      {
        name: 'name',
        type: 'complex',
        subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map(
          (name) => ({ name }),
        ),
      },
      { name: 'displayName' },
      { name: 'nickName' },
      { name: 'title' },
      { name: 'userType' },
      { name: 'preferredLanguage' },
      { name: 'locale' },
      { name: 'timezone' },
      { name: 'active', type: 'boolean' },
      multi('emails'),
      multi('phoneNumbers'),
      { ...multi('groups'), mutability: 'readOnly' },
    ],
  },
  {
    id: ENTERPRISE_USER,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: [
      ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((name) => ({ name })),
      {
        name: 'manager',
        type: 'complex',
        subAttributes: [{ name: 'value' }, { name: 'displayName', mutability: 'readOnly' }],
      },
    ],
  },
  {
    id: CORE_GROUP,
    name: 'Group',
    description: 'Group',
    attributes: [
      { name: 'displayName', required: true },
      {
        name: 'members',
        type: 'complex',
        multiValued: true,
        subAttributes: [
          { name: 'value', mutability: 'immutable' },
          { name: 'display', mutability: 'readOnly' },
        ],
      },
    ],
  },
];

export function schemas(baseUrl: string) {
  return SCHEMAS.map((s) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(attribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${s.id}` },
  }));
}
