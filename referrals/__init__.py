"""Onward routing: referral partners (NGOs, wildlife authorities, police units) with jurisdictions
and channels, for confirmed reports members cannot take down.
"""
