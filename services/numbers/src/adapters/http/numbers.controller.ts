import { Controller, Get, Inject, Param, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, canAccess, CurrentPrincipal, Roles, type Principal } from '@pbx/platform';
import { COUNTRY_TABLE, type CountryCapabilities } from '../../domain/country-table';
import { parseE164 } from '../../domain/number-kind';
import { NumbersError, NumbersErrorCode } from '../../domain/numbers.error';
import {
  BlockDirectoryQuery,
  type NumberHolder,
} from '../projections/block-directory/block-directory.query';
import { numberParam } from './http-input';
import { NumbersErrorFilter } from './numbers-error.filter';

export interface CountryView {
  readonly iso: string;
  readonly name: string;
  readonly nameNl: string;
  /** With "+": "+49". */
  readonly callingCode: string;
  readonly capabilities: CountryCapabilities;
}

/** Single numbers and the coverage table (N5). */
@ApiTags('numbers')
@Controller('api/v1')
@UseGuards(AuthGuard)
@UseFilters(NumbersErrorFilter)
export class NumbersController {
  constructor(@Inject(BlockDirectoryQuery) private readonly directory: BlockDirectoryQuery) {}

  /** Which block (and tenant) holds a number and who it is assigned to; 404 when none may see it. */
  @Get('numbers/:e164')
  @Roles('operator', 'enterprise-admin', 'group-admin')
  async number(
    @CurrentPrincipal() principal: Principal,
    @Param('e164') e164: string,
  ): Promise<NumberHolder> {
    const number = parseE164(numberParam(e164));
    const holder = await this.directory.holderOf(number);
    if (!holder || !canAccess(principal, holder.block.tenantId)) {
      throw new NumbersError(NumbersErrorCode.NumberNotFound, `no block holds ${number}`);
    }
    return holder;
  }

  /** The countries numbers are offered in, with what is offered there; any signed-in caller. */
  @Get('countries')
  countries(): { items: CountryView[] } {
    return {
      items: COUNTRY_TABLE.map((c) => ({
        iso: c.iso,
        name: c.nameEn,
        nameNl: c.nameNl,
        callingCode: `+${c.callingCode}`,
        capabilities: {
          incoming: c.incoming,
          outgoingWithInternationalIdentity: c.outgoingWithInternationalIdentity,
          newGeographic: c.newGeographic,
          newNational: c.newNational,
          porting: c.porting,
        },
      })),
    };
  }
}
